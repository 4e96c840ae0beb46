package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinSpansTest {

  /** Ingest keeps the local endpoint's address but not its port (the canonical span has no field for it). */
  @Test
  void everySampleSpanComesBackAsZipkinWroteItButTheLocalPort() {
    List<Path> files = Samples.zipkinFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    for (Path file : files) {
      List<zipkin2.Span> expected = new ArrayList<>();
      for (zipkin2.Span span : Samples.zipkin(file)) expected.add(withoutLocalPort(span));
      List<zipkin2.Span> actual = new ArrayList<>();
      for (zipkin2.Span span : expected) actual.add(ZipkinSpans.of(Samples.fromZipkin(span)));
      byte[] json = SpanBytesEncoder.JSON_V2.encodeList(actual);
      assertThat(SpanBytesDecoder.JSON_V2.decodeList(json)).as(file.getFileName().toString())
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void sixtyFourBitTraceIdLosesItsZeroHighHalfAsInZipkin() {
    zipkin2.Span span = ZipkinSpans.of(span("0000000000000000463ac35c9f6413ad").build());
    assertThat(span.traceId()).isEqualTo("463ac35c9f6413ad");
  }

  @Test
  void errorStatusWithoutErrorTagBecomesTheErrorTag() {
    zipkin2.Span span = ZipkinSpans.of(span("463ac35c9f6413ad463ac35c9f6413ad")
        .setStatus(new Status(StatusCode.ERROR, "timeout")).build());
    assertThat(span.tags()).containsEntry("error", "timeout");
  }

  @Test
  void internalKindAndSubMicrosecondDurationFollowZipkin() {
    zipkin2.Span span = ZipkinSpans.of(span("463ac35c9f6413ad463ac35c9f6413ad")
        .setKind(SpanKind.INTERNAL).setDurationNanos(400).build());
    assertThat(span.kind()).isNull();
    assertThat(span.duration()).isEqualTo(1L);
  }

  @Test
  void upperCaseNamesAreLowerCasedAsZipkinStoresThem() {
    zipkin2.Span span = ZipkinSpans.of(span("463ac35c9f6413ad463ac35c9f6413ad").setService("Frontend")
        .setName("GET /Cart").build());
    assertThat(span.localServiceName()).isEqualTo("frontend");
    assertThat(span.name()).isEqualTo("get /cart");
  }

  private static zipkin2.Span withoutLocalPort(zipkin2.Span span) {
    if (span.localEndpoint() == null || span.localEndpoint().port() == null) return span;
    return span.toBuilder().localEndpoint(span.localEndpoint().toBuilder().port(null).build()).build();
  }

  private static Span.Builder span(String traceId) {
    return Span.newBuilder().setTraceId(traceId).setSpanId("00000000000000a1").setService("web").setName("op")
        .setKind(SpanKind.SERVER).setStartTimeNanos(1_700_000_000_000_000_000L).setDurationNanos(5_000_000)
        .setAttributes(Map.of());
  }
}
