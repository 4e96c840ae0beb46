package dev.tracepipe.tracestore;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import zipkin2.Endpoint;

/**
 * Turns stored spans back into Zipkin v2 spans, the inverse of ingest's Zipkin mapping: Zipkin's own builder then
 * applies its rules (lower-case names, 64-bit trace ids without their zero high half, empty endpoints dropped).
 */
final class ZipkinSpans {
  static final String ERROR_TAG = "error";
  static final String HOST_IP = "host.ip";
  private static final long NANOS_PER_MICRO = 1_000L;

  private ZipkinSpans() {}

  static List<zipkin2.Span> of(Trace trace) {
    List<zipkin2.Span> out = new ArrayList<>(trace.getSpans().size());
    for (Span span : trace.getSpans()) out.add(of(span));
    return out;
  }

  static zipkin2.Span of(Span span) {
    zipkin2.Span.Builder b = zipkin2.Span.newBuilder()
        .traceId(span.getTraceId())
        .id(span.getSpanId())
        .parentId(span.getParentSpanId())
        .name(span.getName())
        .kind(kind(span))
        .localEndpoint(local(span));
    if (span.getShared()) b.shared(true);
    long start = span.getStartTimeNanos() / NANOS_PER_MICRO;
    if (start > 0) b.timestamp(start);
    // Zipkin has no zero duration: a sub-microsecond span is reported as 1 µs, as Brave does.
    if (span.getDurationNanos() > 0) b.duration(Math.max(1, span.getDurationNanos() / NANOS_PER_MICRO));
    RemotePeer remote = span.getRemote();
    if (remote != null) b.remoteEndpoint(remote(remote));
    for (SpanEvent event : span.getEvents()) b.addAnnotation(event.getTimeNanos() / NANOS_PER_MICRO, event.getName());
    for (Map.Entry<String, String> tag : span.getAttributes().entrySet()) b.putTag(tag.getKey(), tag.getValue());
    String error = statusErrorTag(span);
    if (error != null) b.putTag(ERROR_TAG, error);
    return b.build();
  }

  /**
   * The "error" tag an error status becomes (its message, or empty): OTLP marks failure in the status, Zipkin with the
   * tag. Null when the status is no error or the span has an "error" attribute of its own, which is kept.
   */
  static String statusErrorTag(Span span) {
    if (span.getStatus().getCode() != StatusCode.ERROR || span.getAttributes().containsKey(ERROR_TAG)) return null;
    String message = span.getStatus().getMessage();
    return message == null ? "" : message;
  }

  private static zipkin2.Span.Kind kind(Span span) {
    return switch (span.getKind()) {
      case CLIENT -> zipkin2.Span.Kind.CLIENT;
      case SERVER -> zipkin2.Span.Kind.SERVER;
      case PRODUCER -> zipkin2.Span.Kind.PRODUCER;
      case CONSUMER -> zipkin2.Span.Kind.CONSUMER;
      default -> null;
    };
  }

  private static Endpoint local(Span span) {
    Endpoint.Builder b = Endpoint.newBuilder().serviceName(span.getService());
    String ip = span.getResourceAttributes().get(HOST_IP);
    if (ip != null) b.ip(ip);
    return b.build();
  }

  private static Endpoint remote(RemotePeer peer) {
    Endpoint.Builder b = Endpoint.newBuilder().serviceName(peer.getService());
    // Zipkin endpoints carry only IP addresses; a host name stays out, as Zipkin would drop it too.
    if (peer.getAddress() != null) b.parseIp(peer.getAddress());
    if (peer.getPort() != null) b.port(peer.getPort());
    return b.build();
  }

}
