package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tracepipe.avro.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The canonical output must not depend on how ids are spelled, on the wire format, or on the order within a batch. */
class IdFormatPropertiesTest {
  private final SpanValidator validator = new SpanValidator(IngestLimits.DEFAULTS);

  @Provide
  Arbitrary<byte[]> ids8() {
    return Arbitraries.bytes().array(byte[].class).ofSize(8).filter(b -> !allZero(b));
  }

  @Property(tries = 200)
  void zipkinIdsInAnyCaseAndEitherTraceWidthGiveTheSameCanonicalSpan(@ForAll("ids8") byte[] trace, @ForAll("ids8") byte[] id) {
    String traceHex = HexFormat.of().formatHex(trace);
    String idHex = HexFormat.of().formatHex(id);
    Span lower = zipkinSpan(traceHex, idHex);
    assertThat(zipkinSpan(traceHex.toUpperCase(Locale.ROOT), idHex.toUpperCase(Locale.ROOT))).isEqualTo(lower);
    assertThat(zipkinSpan("0000000000000000" + traceHex, idHex)).isEqualTo(lower);
    assertThat(lower.getTraceId()).isEqualTo("0000000000000000" + traceHex);
  }

  @Property(tries = 100)
  void otlpProtobufAndJsonOfTheSameBatchGiveTheSameSpansInTheSameOrder(
      @ForAll @IntRange(min = 1, max = 8) int count, @ForAll long seed) throws Exception {
    java.util.Random random = new java.util.Random(seed);
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) spans.add(randomSpan(random));
    ExportTraceServiceRequest request = Fixtures.otlpRequest("svc", spans.toArray(io.opentelemetry.proto.trace.v1.Span[]::new));
    String json = hexIds(com.google.protobuf.util.JsonFormat.printer().print(request), spans);
    List<Span> fromProto = canonical(OtlpDecoder.decode(request.toByteArray()));
    assertThat(canonical(OtlpDecoder.decode(json.getBytes(StandardCharsets.UTF_8)))).isEqualTo(fromProto);

    List<io.opentelemetry.proto.trace.v1.Span> shuffled = new ArrayList<>(spans);
    Collections.shuffle(shuffled, random);
    List<Span> fromShuffled = canonical(OtlpDecoder.decode(Fixtures.otlpRequest("svc",
        shuffled.toArray(io.opentelemetry.proto.trace.v1.Span[]::new)).toByteArray()));
    List<Span> expected = new ArrayList<>();
    for (io.opentelemetry.proto.trace.v1.Span s : shuffled) expected.add(fromProto.get(spans.indexOf(s)));
    assertThat(fromShuffled).isEqualTo(expected);
  }

  private Span zipkinSpan(String traceId, String id) {
    byte[] json = ("[{\"traceId\":\"" + traceId + "\",\"id\":\"" + id + "\",\"name\":\"get\",\"timestamp\":"
        + Fixtures.NOW_MILLIS * 1000 + ",\"duration\":7,\"localEndpoint\":{\"serviceName\":\"cart\"}}]")
        .getBytes(StandardCharsets.UTF_8);
    List<Span> spans = canonical(ZipkinDecoder.decode(json));
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  private List<Span> canonical(Decoded decoded) {
    assertThat(decoded.failures()).isEmpty();
    return decoded.spans().stream()
        .map(c -> ((Verdict.Accepted) validator.validate(c.span(), Fixtures.NOW_MILLIS)).span()).toList();
  }

  private static io.opentelemetry.proto.trace.v1.Span randomSpan(java.util.Random random) {
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    random.nextBytes(trace);
    random.nextBytes(span);
    trace[0] |= 1;
    span[0] |= 1;
    return Fixtures.otlpSpan().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
        .setName("op-" + random.nextInt(1000))
        .setEndTimeUnixNano(Fixtures.START_NANOS + random.nextInt(1_000_000))
        .addAttributes(Fixtures.attribute("n", io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
            .setIntValue(random.nextLong())))
        .build();
  }

  /** Rewrites the base64 ids that JsonFormat prints into the upper-case hex some OTLP/JSON producers send. */
  private static String hexIds(String json, List<io.opentelemetry.proto.trace.v1.Span> spans) {
    for (io.opentelemetry.proto.trace.v1.Span s : spans) {
      for (ByteString id : List.of(s.getTraceId(), s.getSpanId(), s.getParentSpanId())) {
        json = json.replace("\"" + java.util.Base64.getEncoder().encodeToString(id.toByteArray()) + "\"",
            "\"" + HexFormat.of().withUpperCase().formatHex(id.toByteArray()) + "\"");
      }
    }
    return json;
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) if (b != 0) return false;
    return true;
  }
}
