package dev.tracepipe.dependencies;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.trace.SpanFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;

/** Converts between Zipkin's spans and ours, for the samples and for the DependencyLinker oracle. */
final class ZipkinConversion {

  private ZipkinConversion() {}

  /** The project's shared/testdata directory, found by walking up from the working directory. */
  static Path testdata() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("testdata");
      if (Files.isDirectory(candidate)) return candidate;
      Path sibling = dir.resolveSibling("shared").resolve("testdata");
      if (Files.isDirectory(sibling)) return sibling;
    }
    throw new IllegalStateException("no shared/testdata above " + Path.of("").toAbsolutePath());
  }

  /** A Zipkin sample's spans as ingest maps them, every piece kept: merging them is the pipeline's job. */
  static List<Span> readSample(Path file) throws IOException {
    List<zipkin2.Span> decoded = new ArrayList<>();
    SpanBytesDecoder.JSON_V2.decodeList(Files.readAllBytes(file), decoded);
    List<Span> spans = new ArrayList<>();
    for (zipkin2.Span span : decoded) spans.add(fromZipkin(span));
    return spans;
  }

  static Span fromZipkin(zipkin2.Span z) {
    Map<String, String> tags = new LinkedHashMap<>(z.tags());
    boolean error = tags.containsKey("error");
    Endpoint remote = z.remoteEndpoint();
    Endpoint local = z.localEndpoint();
    Map<String, String> resource = new LinkedHashMap<>();
    if (local != null && (local.ipv4() != null || local.ipv6() != null)) {
      resource.put(SpanFacts.HOST_IP, local.ipv4() != null ? local.ipv4() : local.ipv6());
    }
    if (local != null && local.port() != null) resource.put(SpanFacts.HOST_PORT, String.valueOf(local.port()));
    boolean untimed = z.timestampAsLong() == 0;
    return Span.newBuilder()
        .setTraceId(padLeft(z.traceId(), 32))
        .setSpanId(z.id())
        .setParentSpanId(z.parentId())
        .setShared(Boolean.TRUE.equals(z.shared()))
        .setService(z.localServiceName() == null ? "" : z.localServiceName())
        .setName(z.name() == null ? "" : z.name())
        .setKind(z.kind() == null ? SpanKind.UNSPECIFIED : SpanKind.valueOf(z.kind().name()))
        .setUntimed(untimed)
        .setResourceAttributes(resource)
        // as ingest does: an untimed span is placed at its arrival
        .setStartTimeNanos(untimed ? 1_700_000_000_000_000_000L : z.timestampAsLong() * 1000)
        .setDurationNanos(z.durationAsLong() * 1000)
        .setStatus(new Status(error ? StatusCode.ERROR : StatusCode.UNSET, error ? tags.get("error") : null))
        .setAttributes(tags)
        .setRemote(remote == null ? null : RemotePeer.newBuilder()
            .setService(remote.serviceName())
            .setAddress(remote.ipv4() != null ? remote.ipv4() : remote.ipv6())
            .setPort(remote.port())
            .build())
        .build();
  }

  /**
   * Our span as Zipkin sees it. The remote service is the peer our rules name for the span, so
   * that the additions which only name a peer Zipkin could not (db.system, server.address, the
   * messaging destination) and the spans our rules treat as local (INTERNAL, or a kind-less span
   * naming itself) are given to Zipkin as equivalent input. This naming is written out here again,
   * independently of LinkSpan, from RATIONALE.md.
   */
  static zipkin2.Span toZipkin(Span span) {
    zipkin2.Span.Builder builder = zipkin2.Span.newBuilder()
        .traceId(span.getTraceId())
        .id(span.getSpanId())
        .parentId(span.getParentSpanId())
        .name(span.getName())
        .timestamp(span.getUntimed() ? 0 : span.getStartTimeNanos() / 1000)
        .duration(span.getDurationNanos() / 1000);
    if (span.getShared()) builder.shared(true);
    switch (span.getKind()) {
      case SERVER -> builder.kind(zipkin2.Span.Kind.SERVER);
      case CLIENT -> builder.kind(zipkin2.Span.Kind.CLIENT);
      case PRODUCER -> builder.kind(zipkin2.Span.Kind.PRODUCER);
      case CONSUMER -> builder.kind(zipkin2.Span.Kind.CONSUMER);
      default -> { } // INTERNAL and UNSPECIFIED have no kind in Zipkin
    }
    SpanFacts.Endpoint local = SpanFacts.endpoint(span);
    if (local != null) {
      Endpoint.Builder endpoint = Endpoint.newBuilder().serviceName(local.service());
      if (local.ip() != null) endpoint.ip(local.ip());
      if (local.port() != null) endpoint.port(Integer.parseInt(local.port()));
      builder.localEndpoint(endpoint.build());
    }
    String peer = oraclePeer(span);
    if (peer != null) builder.remoteEndpoint(Endpoint.newBuilder().serviceName(peer).build());
    boolean error = span.getStatus().getCode() == StatusCode.ERROR
        || span.getAttributes().containsKey("error");
    if (error) builder.putTag("error", "");
    return builder.build();
  }

  private static String oraclePeer(Span span) {
    RemotePeer remote = span.getRemote();
    if (remote == null) return null;
    String service = blank(remote.getService());
    String callee = service != null ? service
        : blank(remote.getDbSystem()) != null ? remote.getDbSystem() : blank(remote.getAddress());
    switch (span.getKind()) {
      case SERVER:
        return service;
      case CLIENT:
      case UNSPECIFIED:
        return callee;
      case PRODUCER:
      case CONSUMER:
        if (service != null) return service;
        String system = blank(remote.getMessagingSystem());
        String destination = blank(remote.getMessagingDestination());
        if (system != null && destination != null) return system + "/" + destination;
        return system != null ? system : destination;
      default:
        return null;
    }
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String padLeft(String id, int width) {
    return "0".repeat(Math.max(0, width - id.length())) + id;
  }
}
