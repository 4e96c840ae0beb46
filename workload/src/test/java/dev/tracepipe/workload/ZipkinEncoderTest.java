package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.StatusCode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;

class ZipkinEncoderTest {
  private static final List<Span> SPANS = spans();

  private static List<Span> spans() {
    SimulatedSystem system = new SimulatedSystem(5);
    system.faults().activate(Fault.parse("failing-dependency:shop-db"));
    return TraceFixtures.spans(TraceFixtures.traces(system, "POST /checkout", 20));
  }

  @Test
  void decodesWithZipkinsOwnDecoderToTheSameSpans() {
    List<zipkin2.Span> decoded = SpanBytesDecoder.JSON_V2.decodeList(ZipkinEncoder.encodeJson(SPANS));
    assertThat(decoded).hasSize(SPANS.size());

    Map<String, Span> originals = SPANS.stream().collect(Collectors.toMap(Span::getSpanId, Function.identity()));
    for (zipkin2.Span zipkin : decoded) {
      Span original = originals.get(zipkin.id());
      assertThat(zipkin.traceId()).isEqualTo(original.getTraceId()).hasSize(32);
      assertThat(zipkin.parentId()).isEqualTo(original.getParentSpanId());
      assertThat(zipkin.timestampAsLong() * 1000).isEqualTo(original.getStartTimeNanos());
      assertThat(zipkin.durationAsLong() * 1000).isEqualTo(original.getDurationNanos());
      assertThat(zipkin.localServiceName()).isEqualTo(original.getService());
      assertThat(zipkin.localEndpoint().ipv4()).isEqualTo(original.getResourceAttributes().get("host.ip"));
      // Zipkin lower-cases span names.
      assertThat(zipkin.name()).isEqualTo(original.getName().toLowerCase(java.util.Locale.ROOT));
      assertThat(zipkin.kind() == null ? SpanKind.INTERNAL.name() : zipkin.kind().name())
          .isEqualTo(original.getKind().name());
      assertThat(zipkin.tags()).containsAllEntriesOf(original.getAttributes());
      assertThat(zipkin.annotations()).hasSize(original.getEvents().size());
      if (original.getStatus().getCode() == StatusCode.ERROR) {
        assertThat(zipkin.tags()).containsEntry("error", original.getStatus().getMessage());
      } else {
        assertThat(zipkin.tags()).doesNotContainKey("error");
      }
    }
    assertThat(decoded).anyMatch(z -> z.tags().containsKey("error"));
  }

  @Test
  void peersBecomeRemoteEndpoints() {
    zipkin2.Span database = ZipkinEncoder.toZipkin(SPANS.stream()
        .filter(s -> s.getRemote() != null && "shop-db".equals(s.getRemote().getService())).findFirst().orElseThrow());
    assertThat(database.remoteServiceName()).isEqualTo("shop-db");
    assertThat(database.remoteEndpoint().portAsInt()).isEqualTo(5432);
    assertThat(database.tags()).containsEntry("server.address", "shop-db.internal")
        .containsEntry("db.system", "postgresql");

    zipkin2.Span producer = ZipkinEncoder.toZipkin(SPANS.stream()
        .filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow());
    assertThat(producer.kind()).isEqualTo(zipkin2.Span.Kind.PRODUCER);
    assertThat(producer.remoteServiceName()).isEqualTo("kafka");
    assertThat(producer.tags()).containsEntry("messaging.destination.name", "orders");

    zipkin2.Span internal = ZipkinEncoder.toZipkin(SPANS.stream()
        .filter(s -> s.getKind() == SpanKind.INTERNAL).findFirst().orElseThrow());
    assertThat(internal.kind()).isNull();
    assertThat(internal.remoteEndpoint()).isNull();
  }

  @Test
  void anErrorWithoutMessageIsStillTaggedAsError() {
    Span failed = Span.newBuilder(SPANS.get(0))
        .setStatus(new dev.tracepipe.avro.Status(StatusCode.ERROR, null))
        .build();
    assertThat(ZipkinEncoder.toZipkin(failed).tags()).containsEntry("error", "true");
  }
}
