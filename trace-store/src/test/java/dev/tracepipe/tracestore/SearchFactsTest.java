package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.testkit.TraceFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The index read from stored spans agrees with the Zipkin spans a query returns for the same trace. */
class SearchFactsTest {
  private static final List<String> TAG_KEYS = List.of("error", "http.method", "http.path", "environment");

  @Test
  void everySampleIndexesAsItsZipkinSpansRead() {
    List<Path> files = Samples.zipkinFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    Set<String> services = new LinkedHashSet<>();
    for (Path file : files) {
      Trace trace = Samples.trace(Samples.zipkin(file), 1);
      assertAgrees(file.getFileName().toString(), trace);
      assertThat(SearchFacts.timestampMicros(trace)).as(file.getFileName().toString()).isPositive();
      services.addAll(SearchFacts.services(trace));
    }
    // Some samples name no service at all; together they name many.
    assertThat(services).hasSizeGreaterThan(5);
  }

  @Test
  void namesParentsAndErrorsFollowZipkinsRules() {
    List<UnaryOperator<Span.Builder>> variants = List.of(
        b -> b.setService("Frontend").setName("GET /Cart"),
        b -> b.setService("").setName(""),
        b -> b.setParentSpanId("0000000000000000"),
        b -> b.setParentSpanId("0"),
        b -> b.setParentSpanId("a2").setSpanId("00000000000000a2"),
        b -> b.setParentSpanId("00000000000000a1"),
        b -> b.setParentSpanId("b1"),
        b -> b.setStartTimeNanos(0),
        b -> b.setStartTimeNanos(999),
        b -> b.setStatus(new Status(StatusCode.ERROR, "timeout")),
        b -> b.setStatus(new Status(StatusCode.ERROR, null)),
        b -> b.setStatus(new Status(StatusCode.ERROR, "timeout")).setAttributes(Map.of("error", "kept")),
        b -> b.setRemote(peer("Payment", "10.0.0.7", 8080)),
        b -> b.setRemote(peer("", "db.local", null)),
        b -> b.setRemote(peer(null, null, null)),
        b -> b.setSpanId("a1").setTraceId("463ac35c9f6413ad"));
    for (int root = 0; root < variants.size(); root++) {
      List<Span> spans = new ArrayList<>();
      // A child first: the trace timestamp is the root's, wherever it stands, else the earliest.
      spans.add(span().setSpanId("00000000000000c1").setParentSpanId("00000000000000b1")
          .setStartTimeNanos(1_700_000_000_500_000_000L).build());
      spans.add(variants.get(root).apply(span()).build());
      for (int i = 0; i < variants.size(); i++) {
        if (i != root) spans.add(variants.get(i).apply(span().setSpanId(String.format("%016x", 0xd00 + i))).build());
      }
      assertAgrees("variant " + root, TraceFixtures.trace(spans.get(0).getTraceId(), 1,
          TraceCompletion.INACTIVITY_GAP, spans));
    }
  }

  @Test
  void idsZipkinRefusesAreRefused() {
    List<UnaryOperator<Span.Builder>> bad = List.of(
        b -> b.setTraceId("463AC35C9F6413AD463AC35C9F6413AD"),
        b -> b.setTraceId("00000000000000000000000000000000"),
        b -> b.setTraceId(""),
        b -> b.setTraceId("463ac35c9f6413ad463ac35c9f6413ad0"),
        b -> b.setSpanId("0000000000000000"),
        b -> b.setSpanId("00000000000000a1b"),
        b -> b.setSpanId("xyz"),
        b -> b.setParentSpanId(""),
        b -> b.setParentSpanId("00000000000000G1"));
    for (UnaryOperator<Span.Builder> variant : bad) {
      Span span = variant.apply(span()).build();
      Trace trace = TraceFixtures.trace(span.getTraceId(), 1, TraceCompletion.INACTIVITY_GAP, List.of(span));
      assertThatThrownBy(() -> ZipkinSpans.of(trace)).as(span.toString()).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> SearchFacts.check(trace)).as(span.toString())
          .isInstanceOf(IllegalArgumentException.class);
    }
    Trace good = TraceFixtures.trace("463ac35c9f6413ad", 1, TraceCompletion.INACTIVITY_GAP,
        List.of(span().setTraceId("463ac35c9f6413ad").setSpanId("a1").setParentSpanId("0").build()));
    ZipkinSpans.of(good);
    SearchFacts.check(good);
  }

  /** The facts from the stored spans equal those read from the Zipkin spans built of them. */
  private static void assertAgrees(String what, Trace trace) {
    SearchFacts.check(trace);
    List<zipkin2.Span> zipkin = ZipkinSpans.of(trace);
    assertThat(SearchFacts.timestampMicros(trace)).as(what).isEqualTo(zipkinTraceTimestamp(zipkin));
    Set<String> services = new LinkedHashSet<>();
    for (zipkin2.Span span : zipkin) {
      if (span.localServiceName() != null) services.add(span.localServiceName());
    }
    assertThat(SearchFacts.services(trace)).as(what).containsExactlyElementsOf(services);
    for (int i = 0; i < zipkin.size(); i++) {
      Span span = trace.getSpans().get(i);
      zipkin2.Span expected = zipkin.get(i);
      assertThat(SearchFacts.serviceName(span)).as(what).isEqualTo(expected.localServiceName());
      assertThat(SearchFacts.spanName(span)).as(what).isEqualTo(expected.name());
      assertThat(SearchFacts.remoteServiceName(span)).as(what).isEqualTo(expected.remoteServiceName());
      for (String key : TAG_KEYS) {
        assertThat(SearchFacts.tag(span, key)).as(what + " tag " + key).isEqualTo(expected.tags().get(key));
      }
      for (String key : expected.tags().keySet()) {
        assertThat(SearchFacts.tag(span, key)).as(what + " tag " + key).isEqualTo(expected.tags().get(key));
      }
    }
  }

  /** Zipkin's trace timestamp read from Zipkin's spans: the first root span's, else the earliest. */
  private static long zipkinTraceTimestamp(List<zipkin2.Span> spans) {
    long timestamp = 0L;
    for (zipkin2.Span span : spans) {
      if (span.timestampAsLong() == 0L) continue;
      if (span.parentId() == null) return span.timestampAsLong();
      if (timestamp == 0L || timestamp > span.timestampAsLong()) timestamp = span.timestampAsLong();
    }
    return timestamp;
  }

  private static RemotePeer peer(String service, String address, Integer port) {
    return RemotePeer.newBuilder().setService(service).setAddress(address).setPort(port).build();
  }

  private static Span.Builder span() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("http.method", "GET");
    return Span.newBuilder().setTraceId("463ac35c9f6413ad463ac35c9f6413ad").setSpanId("00000000000000a1")
        .setService("web").setName("op").setKind(SpanKind.SERVER).setStartTimeNanos(1_700_000_001_000_000_000L)
        .setDurationNanos(5_000_000).setAttributes(attributes);
  }
}
