package dev.tracepipe.ingest;

import static dev.tracepipe.ingest.Fixtures.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {

  @Test
  void realOtlpJsonSampleHasOneServerSpanOfMyService() {
    Decoded decoded = OtlpDecoder.decode(TestData.bytes("otlp/trace.json"));
    assertThat(decoded.format()).isEqualTo(InputFormat.OTLP_JSON);
    assertThat(decoded.failures()).isEmpty();
    assertThat(decoded.spans()).hasSize(1);
    Span span = decoded.spans().get(0).span();
    assertThat(span.getTraceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(span.getSpanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.getParentSpanId()).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.getService()).isEqualTo("my.service");
    assertThat(span.getName()).isEqualTo("I'm a server span");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getStartTimeNanos()).isEqualTo(1_544_712_660_000_000_000L);
    assertThat(span.getDurationNanos()).isEqualTo(1_000_000_000L);
    assertThat(span.getScope()).isEqualTo("my.library");
    assertThat(span.getAttributes()).containsEntry("my.span.attr", "some value")
        .containsEntry(OtlpSpanMapper.SCOPE_VERSION_ATTRIBUTE, "1.0.0");
    assertThat(span.getResourceAttributes()).containsEntry("service.name", "my.service");
    assertThat(span.getStatus()).isEqualTo(new Status(StatusCode.UNSET, null));
    assertThat(span.getRemote()).isNull();
  }

  @Test
  void protobufAndJsonOfTheSameRequestMapIdentically() throws Exception {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(new String(TestData.bytes("otlp/trace.json"), StandardCharsets.UTF_8)
        .replace("\"5B8EFFF798038103D269B633813FC60C\"", "\"W47/95gDgQPSabYzgT/GDA==\"")
        .replace("\"EEE19B7EC3C1B174\"", "\"7uGbfsPBsXQ=\"")
        .replace("\"EEE19B7EC3C1B173\"", "\"7uGbfsPBsXM=\""), request);
    Decoded proto = OtlpDecoder.decode(request.build().toByteArray());
    Decoded json = OtlpDecoder.decode(TestData.bytes("otlp/trace.json"));
    assertThat(proto.format()).isEqualTo(InputFormat.OTLP_PROTO);
    assertThat(proto.spans()).extracting(Decoded.Candidate::span)
        .containsExactlyElementsOf(json.spans().stream().map(Decoded.Candidate::span).toList());
  }

  @Test
  void base64IdsAsAProtobufJsonPrinterWritesThemAreAccepted() throws Exception {
    ExportTraceServiceRequest request = Fixtures.otlpRequest("cart", Fixtures.otlpSpan().build());
    byte[] json = JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8);
    Span span = OtlpDecoder.decode(json).spans().get(0).span();
    assertThat(span.getTraceId()).isEqualTo(Fixtures.TRACE_ID);
    assertThat(span.getSpanId()).isEqualTo(Fixtures.SPAN_ID);
  }

  @Test
  void attributeValuesOfEveryTypeRenderAsText() {
    io.opentelemetry.proto.trace.v1.Span span = Fixtures.otlpSpan()
        .addAttributes(attribute("s", "text"))
        .addAttributes(attribute("b", AnyValue.newBuilder().setBoolValue(true)))
        .addAttributes(attribute("i", AnyValue.newBuilder().setIntValue(-42)))
        .addAttributes(attribute("d", AnyValue.newBuilder().setDoubleValue(1.5)))
        .addAttributes(attribute("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi"))))
        .addAttributes(attribute("arr", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setStringValue("a\"b"))
            .addValues(AnyValue.newBuilder().setIntValue(1))
            .addValues(AnyValue.newBuilder().setBoolValue(false)))))
        .addAttributes(attribute("kv", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(attribute("x", AnyValue.newBuilder().setDoubleValue(Double.NaN))))))
        .addAttributes(attribute("empty", AnyValue.newBuilder()))
        .build();
    Span out = OtlpDecoder.decode(Fixtures.otlpRequest("cart", span).toByteArray()).spans().get(0).span();
    assertThat(out.getAttributes())
        .containsEntry("s", "text")
        .containsEntry("b", "true")
        .containsEntry("i", "-42")
        .containsEntry("d", "1.5")
        .containsEntry("bytes", "aGk=")
        .containsEntry("arr", "[\"a\\\"b\",1,false]")
        .containsEntry("kv", "{\"x\":\"NaN\"}")
        .containsEntry("empty", "");
  }

  @Test
  void remotePeerComesFromSemanticConventionAttributes() {
    io.opentelemetry.proto.trace.v1.Span client = Fixtures.otlpSpan()
        .addAttributes(attribute("peer.service", "postgres-main"))
        .addAttributes(attribute("server.address", "db.internal"))
        .addAttributes(attribute("server.port", AnyValue.newBuilder().setIntValue(5432)))
        .addAttributes(attribute("db.system", "postgresql"))
        .build();
    Span out = OtlpDecoder.decode(Fixtures.otlpRequest("cart", client).toByteArray()).spans().get(0).span();
    assertThat(out.getRemote()).isEqualTo(new RemotePeer("postgres-main", "db.internal", 5432, "postgresql", null, null));

    io.opentelemetry.proto.trace.v1.Span producer = Fixtures.otlpSpan()
        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER)
        .addAttributes(attribute("messaging.system", "kafka"))
        .addAttributes(attribute("messaging.destination.name", "orders"))
        .addAttributes(attribute("net.peer.name", "broker-1"))
        .build();
    out = OtlpDecoder.decode(Fixtures.otlpRequest("cart", producer).toByteArray()).spans().get(0).span();
    assertThat(out.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(out.getRemote()).isEqualTo(new RemotePeer(null, "broker-1", null, null, "kafka", "orders"));
  }

  @Test
  void serverSpanTakesTheClientAddressNotItsOwnServerAddress() {
    io.opentelemetry.proto.trace.v1.Span server = Fixtures.otlpSpan()
        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
        .addAttributes(attribute("server.address", "shop.example.com"))
        .addAttributes(attribute("client.address", "10.1.2.3"))
        .build();
    Span out = OtlpDecoder.decode(Fixtures.otlpRequest("cart", server).toByteArray()).spans().get(0).span();
    assertThat(out.getRemote().getAddress()).isEqualTo("10.1.2.3");
  }

  @Test
  void statusEventsLinksAndDroppedCountsAreMapped() {
    io.opentelemetry.proto.trace.v1.Span span = Fixtures.otlpSpan()
        .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
            .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder().setName("exception")
            .setTimeUnixNano(Fixtures.START_NANOS + 10).addAttributes(attribute("exception.type", "IOException")))
        .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(ByteString.copyFrom(SpanIds.fromHex("0af7651916cd43dd8448eb211c80319c")))
            .setSpanId(ByteString.copyFrom(SpanIds.fromHex("b7ad6b7169203331"))))
        .setDroppedAttributesCount(2).setDroppedEventsCount(3).setDroppedLinksCount(4)
        .build();
    Span out = OtlpDecoder.decode(Fixtures.otlpRequest("cart", span).toByteArray()).spans().get(0).span();
    assertThat(out.getStatus()).isEqualTo(new Status(StatusCode.ERROR, "boom"));
    assertThat(out.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("exception");
      assertThat(e.getTimeNanos()).isEqualTo(Fixtures.START_NANOS + 10);
      assertThat(e.getAttributes()).containsEntry("exception.type", "IOException");
    });
    assertThat(out.getLinks()).singleElement().satisfies(l -> {
      assertThat(l.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(l.getSpanId()).isEqualTo("b7ad6b7169203331");
    });
    assertThat(out.getDroppedAttributesCount()).isEqualTo(2);
    assertThat(out.getDroppedEventsCount()).isEqualTo(3);
    assertThat(out.getDroppedLinksCount()).isEqualTo(4);
  }

  @Test
  void missingServiceNameMapsToEmptyForTheValidatorToDefault() {
    Span out = OtlpDecoder.decode(Fixtures.otlpRequest(null, Fixtures.otlpSpan().build()).toByteArray())
        .spans().get(0).span();
    assertThat(out.getService()).isEmpty();
  }

  @Test
  void deadLetterPayloadOfAProtobufSpanIsThatSpanAloneWithItsResource() throws Exception {
    io.opentelemetry.proto.trace.v1.Span good = Fixtures.otlpSpan().setName("good").build();
    io.opentelemetry.proto.trace.v1.Span other = Fixtures.otlpSpan().setName("other").build();
    Decoded decoded = OtlpDecoder.decode(Fixtures.otlpRequest("cart", good, other).toByteArray());
    TracesData alone = TracesData.parseFrom(decoded.spans().get(1).payload().get());
    assertThat(alone.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("cart");
    assertThat(alone.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("io.opentelemetry.okhttp");
    assertThat(alone.getResourceSpans(0).getScopeSpans(0).getSpansList()).containsExactly(other);
  }

  @Test
  void jsonSpanWithNonHexIdDecodesWithAnEmptyIdAndKeepsItsOriginalJson() throws Exception {
    String json = new String(TestData.bytes("otlp/trace.json"), StandardCharsets.UTF_8)
        .replace("5B8EFFF798038103D269B633813FC60C", "not-a-trace-id");
    Decoded decoded = OtlpDecoder.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded.spans()).hasSize(1);
    assertThat(decoded.spans().get(0).span().getTraceId()).isEmpty();
    JsonNode payload = OtlpJson.MAPPER.readTree(decoded.spans().get(0).payload().get());
    assertThat(payload.at("/resourceSpans/0/scopeSpans/0/spans/0/traceId").asText()).isEqualTo("not-a-trace-id");
    assertThat(payload.at("/resourceSpans/0/resource/attributes/0/key").asText()).isEqualTo("service.name");
  }

  @Test
  void invalidJsonIsUndecodable() {
    byte[] bad = "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8);
    assertUndecodable(OtlpDecoder.decode(bad), InputFormat.OTLP_JSON, bad);
    byte[] wrongShape = "{\"resourceSpans\": 5}".getBytes(StandardCharsets.UTF_8);
    assertUndecodable(OtlpDecoder.decode(wrongShape), InputFormat.OTLP_JSON, wrongShape);
  }

  @Test
  void truncatedProtobufIsUndecodable() {
    byte[] whole = Fixtures.otlpRequest("cart", Fixtures.otlpSpan().build()).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 7);
    assertUndecodable(OtlpDecoder.decode(truncated), InputFormat.OTLP_PROTO, truncated);
  }

  @Test
  void randomBytesAreUndecodableOrYieldOnlyInvalidSpans() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[1 + random.nextInt(200)];
      random.nextBytes(garbage);
      Decoded decoded = OtlpDecoder.decode(garbage);
      boolean undecodable = decoded.spans().isEmpty() && decoded.failures().size() == 1;
      boolean invalidOnly = decoded.spans().stream()
          .allMatch(c -> new SpanValidator(IngestLimits.DEFAULTS).validate(c.span(), Fixtures.NOW_MILLIS)
              instanceof Verdict.Rejected);
      assertThat(undecodable || (!decoded.spans().isEmpty() && invalidOnly)).as("garbage #%d", i).isTrue();
    }
  }

  private static void assertUndecodable(Decoded decoded, InputFormat format, byte[] message) {
    assertThat(decoded.spans()).isEmpty();
    assertThat(decoded.failures()).singleElement().satisfies(f -> {
      assertThat(f.format()).isEqualTo(format);
      assertThat(f.reason()).isEqualTo(RejectReason.UNDECODABLE);
      assertThat(f.payload()).isEqualTo(message);
    });
  }

  @Test
  void protobufWhoseLengthByteIsAnOpeningBraceIsNotMistakenForJson() {
    // 0x0a is '\n' and a first ResourceSpans of 123 bytes makes the second byte '{'.
    io.opentelemetry.proto.trace.v1.Span span = Fixtures.otlpSpan().clearParentSpanId().setName("").build();
    ExportTraceServiceRequest request = null;
    for (int padding = 0; padding < 123; padding++) {
      ExportTraceServiceRequest candidate = ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
              .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                  .addAttributes(attribute("service.name", "x".repeat(padding))))
              .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(span)))
          .build();
      if (candidate.toByteArray()[1] == '{') {
        request = candidate;
        break;
      }
    }
    assertThat(request).as("a request whose second byte is '{'").isNotNull();
    Decoded decoded = OtlpDecoder.decode(request.toByteArray());
    assertThat(decoded.format()).isEqualTo(InputFormat.OTLP_PROTO);
    assertThat(decoded.spans()).hasSize(1);
    byte[] truncated = java.util.Arrays.copyOf(request.toByteArray(), request.getSerializedSize() - 10);
    assertThat(OtlpDecoder.decode(truncated).failures()).singleElement().satisfies(f -> {
      assertThat(f.format()).isEqualTo(InputFormat.OTLP_PROTO);
      assertThat(f.detail()).contains("protobuf").contains("JSON");
    });
  }

  @Test
  void jsonWithLeadingWhitespaceIsStillJson() {
    byte[] json = ("\n  " + new String(TestData.bytes("otlp/trace.json"), StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    Decoded decoded = OtlpDecoder.decode(json);
    assertThat(decoded.format()).isEqualTo(InputFormat.OTLP_JSON);
    assertThat(decoded.spans()).hasSize(1);
  }
}
