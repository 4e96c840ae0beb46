package dev.tracepipe.dependencies;

import static dev.tracepipe.avro.ConnectionType.DATABASE;
import static dev.tracepipe.avro.ConnectionType.MESSAGING;
import static dev.tracepipe.avro.ConnectionType.RPC;
import static dev.tracepipe.avro.ConnectionType.VIRTUAL;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.trace.SpanNode;
import dev.tracepipe.trace.SpanTree;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Derives the calls of one trace: the linking rules of Zipkin's DependencyLinker plus the
 * additions described rule by rule in RATIONALE.md.
 */
final class CallLinker {

  private final Map<SpanNode, LinkSpan> linkSpans = new IdentityHashMap<>();
  private final Set<String> callIds = new HashSet<>();
  private final List<Call> calls = new ArrayList<>();

  private CallLinker() {}

  /** The calls of one trace's spans, merged as the aggregator merges them, placed in a tree as Zipkin does. */
  static List<Call> link(Collection<Span> spans) {
    Objects.requireNonNull(spans, "spans == null");
    if (spans.isEmpty()) return List.of();
    CallLinker linker = new CallLinker();
    SpanTree.ofMerged(new ArrayList<>(spans)).forEach(node -> linker.linkNode(node, linker.calls));
    return linker.calls;
  }

  private LinkSpan linkSpan(SpanNode node) {
    return linkSpans.computeIfAbsent(node, n -> LinkSpan.of(n.span()));
  }

  private void linkNode(SpanNode node, List<Call> calls) {
    LinkSpan span = linkSpan(node);
    switch (span.kind()) {
      case CLIENT:
        // The server half below a client names the edge better than the client's guess does.
        if (node.children().isEmpty()) linkClient(node, calls);
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

  private void linkServer(SpanNode node, List<Call> calls) {
    LinkSpan span = linkSpan(node);
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

  private void linkClient(SpanNode node, List<Call> calls) {
    LinkSpan span = linkSpan(node);
    String parent = span.service();
    boolean error = span.error();
    String callId = callId(span);
    LinkSpan caller = remoteAncestor(node);
    if (caller != null && caller.service() != null) {
      if (span.service() != null && !caller.service().equals(span.service())) {
        // The client's service has no server span here (it was lost or never reported): link the
        // nearest remote ancestor to it, with no error or latency known.
        addIfNamed(calls, callId + "^", caller.service(), span.service(), RPC, false, span,
            Call.UNKNOWN, Call.UNKNOWN);
      }
      if (parent == null) parent = caller.service();
      error = error || inheritsClientError(span, caller);
    }
    ConnectionType type = span.database() ? DATABASE : VIRTUAL;
    addIfNamed(calls, callId, parent, span.peer(), type, error, span, span.durationNanos(),
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
  private LinkSpan remoteAncestor(SpanNode node) {
    for (SpanNode ancestor = node.parent(); ancestor != null; ancestor = ancestor.parent()) {
      if (!ancestor.synthetic() && linkSpan(ancestor).remoteKind()) return linkSpan(ancestor);
    }
    return null;
  }

  private void addIfNamed(List<Call> calls, String id, String parent, String child,
      ConnectionType type, boolean error, LinkSpan span, long clientNanos, long serverNanos) {
    if (parent == null || child == null) return; // a dependency needs both names
    long timestampMillis = Math.floorDiv(span.startNanos(), 1_000_000L);
    calls.add(new Call(id, new EdgeKey(parent, child, type), error, timestampMillis, clientNanos,
        serverNanos));
  }

  /**
   * Unique within a trace: shared halves of one id differ by service; spans that still share an id and flag (two
   * servers answering one client id from one service, reported without endpoints) are numbered in tree order.
   */
  private String callId(LinkSpan span) {
    String id = span.shared() ? span.spanId() + "@" + span.service() : span.spanId();
    String unique = id;
    for (int n = 2; !callIds.add(unique); n++) unique = id + "#" + n;
    return unique;
  }
}
