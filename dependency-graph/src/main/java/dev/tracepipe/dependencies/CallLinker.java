package dev.tracepipe.dependencies;

import static dev.tracepipe.avro.ConnectionType.DATABASE;
import static dev.tracepipe.avro.ConnectionType.MESSAGING;
import static dev.tracepipe.avro.ConnectionType.RPC;
import static dev.tracepipe.avro.ConnectionType.VIRTUAL;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.dependencies.SpanTree.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Derives the calls of one trace: the linking rules of Zipkin's DependencyLinker plus the
 * additions described rule by rule in RATIONALE.md.
 */
final class CallLinker {

  private CallLinker() {}

  static List<Call> link(Collection<Span> spans) {
    Objects.requireNonNull(spans, "spans == null");
    List<LinkSpan> linkSpans = new ArrayList<>(spans.size());
    for (Span span : spans) linkSpans.add(LinkSpan.of(span));
    return linkSpans(linkSpans);
  }

  static List<Call> linkSpans(List<LinkSpan> spans) {
    if (spans.isEmpty()) return List.of();
    List<Call> calls = new ArrayList<>();
    SpanTree.build(spans).forEachNode(node -> linkNode(node, calls));
    return calls;
  }

  private static void linkNode(Node node, List<Call> calls) {
    LinkSpan span = node.span;
    switch (span.kind()) {
      case CLIENT:
        // The server half below a client names the edge better than the client's guess does.
        if (node.children.isEmpty()) linkClient(node, calls);
        return;
      case UNSPECIFIED:
        // A span without kind that knows both sides is a client (Zipkin's rule).
        if (span.service() != null && span.peer() != null) linkClient(node, calls);
        return;
      case SERVER:
        linkServer(node, calls);
        return;
      case PRODUCER:
        addIfNamed(calls, callId(span), span.service(), span.peer(), MESSAGING, span.error(),
            span, span.durationNanos(), Call.UNKNOWN);
        return;
      case CONSUMER:
        addIfNamed(calls, callId(span), span.peer(), span.service(), MESSAGING, span.error(),
            span, Call.UNKNOWN, span.durationNanos());
        return;
      default:
        return; // INTERNAL spans are local work, transparent to linking
    }
  }

  private static void linkServer(Node node, List<Call> calls) {
    LinkSpan span = node.span;
    String parent = span.peer(); // the caller as the server saw it: an uninstrumented client
    ConnectionType type = VIRTUAL;
    boolean error = span.error();
    long clientNanos = Call.UNKNOWN;
    LinkSpan caller = remoteAncestor(node);
    if (caller != null && caller.service() != null) {
      parent = caller.service();
      type = caller.kind() == SpanKind.PRODUCER ? MESSAGING : RPC;
      error = error || inheritsClientError(span, caller);
      if (caller.kind() == SpanKind.CLIENT && isClientOf(caller, span)) {
        clientNanos = caller.durationNanos();
      }
    }
    addIfNamed(calls, callId(span), parent, span.service(), type, error, span, clientNanos,
        span.durationNanos());
  }

  private static void linkClient(Node node, List<Call> calls) {
    LinkSpan span = node.span;
    String parent = span.service();
    boolean error = span.error();
    LinkSpan caller = remoteAncestor(node);
    if (caller != null && caller.service() != null) {
      if (span.service() != null && !caller.service().equals(span.service())) {
        // The client's service has no server span here (it was lost or never reported): link the
        // nearest remote ancestor to it, with no error or latency known.
        addIfNamed(calls, callId(span) + "^", caller.service(), span.service(), RPC, false, span,
            Call.UNKNOWN, Call.UNKNOWN);
      }
      if (parent == null) parent = caller.service();
      error = error || inheritsClientError(span, caller);
    }
    ConnectionType type = span.database() ? DATABASE : VIRTUAL;
    addIfNamed(calls, callId(span), parent, span.peer(), type, error, span, span.durationNanos(),
        Call.UNKNOWN);
  }

  /** A span split from its client (a child, not a shared half) fails when its client failed. */
  private static boolean inheritsClientError(LinkSpan span, LinkSpan caller) {
    return caller.kind() == SpanKind.CLIENT && caller.error()
        && caller.spanId().equals(span.parentSpanId());
  }

  private static boolean isClientOf(LinkSpan client, LinkSpan server) {
    return server.shared()
        ? client.spanId().equals(server.spanId())
        : client.spanId().equals(server.parentSpanId());
  }

  /** The nearest ancestor with a remote kind; local spans in between are transparent. */
  private static LinkSpan remoteAncestor(Node node) {
    for (Node ancestor = node.parent; ancestor != null; ancestor = ancestor.parent) {
      if (!ancestor.synthetic() && ancestor.span.remoteKind()) return ancestor.span;
    }
    return null;
  }

  private static void addIfNamed(List<Call> calls, String id, String parent, String child,
      ConnectionType type, boolean error, LinkSpan span, long clientNanos, long serverNanos) {
    if (parent == null || child == null) return; // a dependency needs both names
    long timestampMillis = Math.floorDiv(span.startNanos(), 1_000_000L);
    calls.add(new Call(id, new EdgeKey(parent, child, type), error, timestampMillis, clientNanos,
        serverNanos));
  }

  /** Unique within a trace: shared halves of one id differ by service. */
  private static String callId(LinkSpan span) {
    return span.shared() ? span.spanId() + "@" + span.service() : span.spanId();
  }
}
