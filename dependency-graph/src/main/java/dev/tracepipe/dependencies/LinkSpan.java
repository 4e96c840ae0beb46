package dev.tracepipe.dependencies;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.trace.SpanFacts;
import java.util.Locale;
import java.util.Objects;

/**
 * The parts of one span that dependency linking reads, with blank names turned into null and the
 * peer already named by the rules of RATIONALE.md ("Naming the other side").
 *
 * @param service the local service, null when blank
 * @param peer the other side of the call as this span names it, null when unknown or not a call
 * @param database true when the peer is a database (the span carries db.system)
 */
record LinkSpan(
    String spanId,
    String parentSpanId,
    boolean shared,
    String service,
    SpanKind kind,
    String peer,
    boolean database,
    boolean error,
    long startNanos,
    long durationNanos) {

  LinkSpan {
    Objects.requireNonNull(spanId, "spanId == null");
    Objects.requireNonNull(kind, "kind == null");
  }

  static LinkSpan of(Span span) {
    Objects.requireNonNull(span, "span == null");
    String service = SpanFacts.service(span);
    SpanKind kind = span.getKind() == null ? SpanKind.UNSPECIFIED : span.getKind();
    RemotePeer remote = span.getRemote();
    return new LinkSpan(
        span.getSpanId().toLowerCase(Locale.ROOT),
        parentId(span),
        span.getShared(),
        service,
        kind,
        peerName(kind, service, remote),
        remote != null && blankToNull(remote.getDbSystem()) != null,
        SpanFacts.isError(span),
        span.getStartTimeNanos(),
        span.getDurationNanos());
  }

  /** True for the kinds that describe one side of a call; INTERNAL and UNSPECIFIED are local. */
  boolean remoteKind() {
    return kind == SpanKind.SERVER || kind == SpanKind.CLIENT
        || kind == SpanKind.PRODUCER || kind == SpanKind.CONSUMER;
  }

  static String peerName(SpanKind kind, String service, RemotePeer remote) {
    if (remote == null) return null;
    String peerService = blankToNull(remote.getService());
    switch (kind) {
      case SERVER:
        // A server names only who called it; its client's address is an ephemeral port, no node.
        return peerService;
      case PRODUCER:
      case CONSUMER:
        return peerService != null ? peerService : brokerName(remote);
      case CLIENT:
      case UNSPECIFIED:
        // A span without kind that names both sides is a client, even when it names itself (Zipkin's rule).
        return calleeName(remote);
      default:
        return null; // INTERNAL is local by definition, whatever attributes it carries
    }
  }

  private static String calleeName(RemotePeer remote) {
    String name = blankToNull(remote.getService());
    if (name == null) name = blankToNull(remote.getDbSystem());
    if (name == null) name = blankToNull(remote.getAddress());
    return name;
  }

  private static String brokerName(RemotePeer remote) {
    String system = blankToNull(remote.getMessagingSystem());
    String destination = blankToNull(remote.getMessagingDestination());
    if (system != null && destination != null) return system + "/" + destination;
    return system != null ? system : destination;
  }

  /** An all-zero or self-referencing parent id means no parent, as in B3 and Zipkin. */
  private static String parentId(Span span) {
    String parentId = blankToNull(span.getParentSpanId());
    if (parentId == null) return null;
    // Hex ids compare case-insensitively; the contract is lower case but a stray upper case must not split a tree.
    parentId = parentId.toLowerCase(Locale.ROOT);
    if (parentId.equals(span.getSpanId().toLowerCase(Locale.ROOT))) return null;
    return parentId.chars().allMatch(c -> c == '0') ? null : parentId;
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
