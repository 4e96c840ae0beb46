package dev.tracepipe.tracestore;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.testkit.TraceFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import zipkin2.Annotation;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;

/** The real Zipkin samples in shared/testdata, as Zipkin merges them and as tracepipe stores them. */
final class Samples {
  private Samples() {}

  static Path testdata() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("testdata");
      if (Files.isDirectory(candidate)) return candidate;
      Path sibling = dir.resolveSibling("shared").resolve("testdata");
      if (Files.isDirectory(sibling)) return sibling;
    }
    throw new IllegalStateException("no shared/testdata above " + Path.of("").toAbsolutePath());
  }

  static List<Path> zipkinFiles() {
    try (Stream<Path> files = Files.list(testdata().resolve("zipkin"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample's spans merged as Zipkin's server returns a trace: halves of one span joined, copies dropped. */
  static List<zipkin2.Span> zipkin(String name) {
    return zipkin(testdata().resolve("zipkin").resolve(name));
  }

  static List<zipkin2.Span> zipkin(Path file) {
    try {
      List<zipkin2.Span> decoded = SpanBytesDecoder.JSON_V2.decodeList(Files.readAllBytes(file));
      return zipkin2.internal.Trace.merge(decoded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample moved to start at {@code startMicros}, under another trace id (same length as the original). */
  static List<zipkin2.Span> retimed(List<zipkin2.Span> spans, long startMicros, String traceId) {
    long first = spans.stream().mapToLong(zipkin2.Span::timestampAsLong).filter(t -> t > 0).min().orElse(startMicros);
    long shift = startMicros - first;
    List<zipkin2.Span> out = new ArrayList<>();
    for (zipkin2.Span span : spans) {
      zipkin2.Span.Builder b = span.toBuilder().traceId(traceId.substring(32 - span.traceId().length()));
      if (span.timestampAsLong() > 0) b.timestamp(span.timestampAsLong() + shift);
      b.clearAnnotations();
      for (Annotation a : span.annotations()) b.addAnnotation(a.timestamp() + shift, a.value());
      out.add(b.build());
    }
    return out;
  }

  static String randomTraceId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    return String.format("%016x%016x", random.nextLong() | Long.MIN_VALUE, random.nextLong() | 1);
  }

  /** One span per (span id, shared), the first kept, as the aggregator collapses copies. */
  static List<zipkin2.Span> distinct(List<zipkin2.Span> spans) {
    Set<String> seen = new HashSet<>();
    return spans.stream().filter(s -> seen.add(s.id() + "/" + Boolean.TRUE.equals(s.shared()))).toList();
  }

  static String pad32(String traceId) {
    return "0".repeat(32 - traceId.length()) + traceId;
  }

  /** The sample as the aggregator hands it over: one span per (span id, shared), in start order. */
  static Trace trace(List<zipkin2.Span> zipkin, int version) {
    Set<String> seen = new HashSet<>();
    List<Span> spans = new ArrayList<>();
    for (zipkin2.Span span : zipkin) {
      if (seen.add(span.id() + "/" + Boolean.TRUE.equals(span.shared()))) spans.add(fromZipkin(span));
    }
    spans.sort(java.util.Comparator.comparingLong(Span::getStartTimeNanos).thenComparing(Span::getSpanId));
    return TraceFixtures.trace(spans.get(0).getTraceId(), version, TraceCompletion.INACTIVITY_GAP, spans);
  }

  /** What ingest's Zipkin mapping makes of a span, for the fields the store gives back. */
  static Span fromZipkin(zipkin2.Span z) {
    Map<String, String> tags = new LinkedHashMap<>(z.tags());
    String error = tags.get("error");
    Endpoint local = z.localEndpoint();
    Endpoint remote = z.remoteEndpoint();
    Map<String, String> resource = new LinkedHashMap<>();
    if (local != null && (local.ipv4() != null || local.ipv6() != null)) {
      resource.put("host.ip", local.ipv4() != null ? local.ipv4() : local.ipv6());
    }
    List<SpanEvent> events = new ArrayList<>();
    for (Annotation a : z.annotations()) events.add(new SpanEvent(a.timestamp() * 1000, a.value(), Map.of()));
    return Span.newBuilder()
        .setTraceId("0".repeat(32 - z.traceId().length()) + z.traceId())
        .setSpanId(z.id())
        .setParentSpanId(z.parentId())
        .setShared(Boolean.TRUE.equals(z.shared()))
        .setService(z.localServiceName() == null ? "" : z.localServiceName())
        .setName(z.name() == null ? "" : z.name())
        .setKind(z.kind() == null ? SpanKind.UNSPECIFIED : SpanKind.valueOf(z.kind().name()))
        .setStartTimeNanos(z.timestampAsLong() * 1000)
        .setDurationNanos(z.durationAsLong() * 1000)
        .setStatus(new Status(error == null ? StatusCode.UNSET : StatusCode.ERROR,
            error == null || error.isEmpty() ? null : error))
        .setAttributes(tags)
        .setResourceAttributes(resource)
        .setEvents(events)
        .setRemote(remote == null ? null : RemotePeer.newBuilder()
            .setService(remote.serviceName())
            .setAddress(remote.ipv4() != null ? remote.ipv4() : remote.ipv6())
            .setPort(remote.port())
            .build())
        .build();
  }
}
