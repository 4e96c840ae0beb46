package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OtlpEncoderTest {
  private static final List<Span> SPANS = spans();

  private static List<Span> spans() {
    SimulatedSystem system = new SimulatedSystem(3);
    system.faults().activate(Fault.parse("failing-dependency:inventory"));
    return TraceFixtures.spans(TraceFixtures.traces(system, "POST /checkout", 20));
  }

  @Test
  void parsesBackToTheSameSpansIdsAndTimes() throws Exception {
    byte[] bytes = OtlpEncoder.encode(SPANS).toByteArray();
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(bytes);
    List<io.opentelemetry.proto.trace.v1.Span> protos = parsed.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream()).flatMap(s -> s.getSpansList().stream()).toList();
    assertThat(protos).hasSize(SPANS.size());

    Map<String, Span> originals = SPANS.stream().collect(Collectors.toMap(Span::getSpanId, Function.identity()));
    for (io.opentelemetry.proto.trace.v1.Span proto : protos) {
      Span original = originals.get(hex(proto.getSpanId()));
      assertThat(original).isNotNull();
      assertThat(proto.getTraceId().size()).isEqualTo(16);
      assertThat(proto.getSpanId().size()).isEqualTo(8);
      assertThat(hex(proto.getTraceId())).isEqualTo(original.getTraceId());
      assertThat(proto.getParentSpanId().isEmpty() ? null : hex(proto.getParentSpanId()))
          .isEqualTo(original.getParentSpanId());
      assertThat(proto.getName()).isEqualTo(original.getName());
      assertThat(proto.getKind().name()).isEqualTo("SPAN_KIND_" + original.getKind().name());
      assertThat(proto.getStartTimeUnixNano()).isEqualTo(original.getStartTimeNanos());
      assertThat(proto.getEndTimeUnixNano() - proto.getStartTimeUnixNano()).isEqualTo(original.getDurationNanos());
      assertThat(proto.getEventsCount()).isEqualTo(original.getEvents().size());
      if (original.getStatus().getCode() == StatusCode.ERROR) {
        assertThat(proto.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(proto.getStatus().getMessage()).isEqualTo(original.getStatus().getMessage());
      } else {
        assertThat(proto.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
      }
    }
    assertThat(protos).anyMatch(p -> p.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
  }

  @Test
  void groupsSpansByProcessAndInstrumentationLibrary() {
    ExportTraceServiceRequest request = OtlpEncoder.encode(SPANS);
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, AnyValue> resource = attributes(resourceSpans.getResource().getAttributesList());
      String service = resource.get("service.name").getStringValue();
      String host = resource.get("host.name").getStringValue();
      assertThat(resource).containsKeys("service.version", "host.ip");
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span proto : scopeSpans.getSpansList()) {
          Span original = SPANS.stream().filter(s -> s.getSpanId().equals(hex(proto.getSpanId()))).findFirst()
              .orElseThrow();
          assertThat(original.getService()).isEqualTo(service);
          assertThat(original.getResourceAttributes()).containsEntry("host.name", host);
          assertThat(original.getScope()).isEqualTo(scopeSpans.getScope().getName());
        }
      }
    }
    long processes = SPANS.stream().map(Span::getResourceAttributes).distinct().count();
    assertThat(request.getResourceSpansCount()).isEqualTo((int) processes);
  }

  @Test
  void writesTheRemotePeerAsSemanticConventionAttributesAndNumbersAsIntegers() {
    Map<String, AnyValue> database = protoAttributesOf(s -> "shop-db".equals(peer(s)));
    assertThat(database.get("db.system").getStringValue()).isEqualTo("postgresql");
    assertThat(database.get("peer.service").getStringValue()).isEqualTo("shop-db");
    assertThat(database.get("server.address").getStringValue()).isEqualTo("shop-db.internal");
    assertThat(database.get("server.port").getIntValue()).isEqualTo(5432);

    Map<String, AnyValue> producer = protoAttributesOf(s -> s.getKind() == dev.tracepipe.avro.SpanKind.PRODUCER);
    assertThat(producer.get("messaging.system").getStringValue()).isEqualTo("kafka");
    assertThat(producer.get("messaging.destination.name").getStringValue()).isEqualTo("orders");

    Map<String, AnyValue> server = protoAttributesOf(s -> s.getKind() == dev.tracepipe.avro.SpanKind.SERVER);
    assertThat(server.get("http.status_code").getValueCase()).isEqualTo(AnyValue.ValueCase.INT_VALUE);
    assertThat(server.get("http.method").getStringValue()).isIn("GET", "POST");
  }

  @Test
  void derivesPeerAttributesForSpansThatOnlyCarryARemotePeer() {
    Span bare = Span.newBuilder(SPANS.stream().filter(s -> "redis".equals(peer(s))).findFirst().orElseThrow())
        .setAttributes(Map.of())
        .build();
    Map<String, AnyValue> attributes = attributes(OtlpEncoder.toProto(bare).getAttributesList());
    assertThat(attributes.get("peer.service").getStringValue()).isEqualTo("redis");
    assertThat(attributes.get("db.system").getStringValue()).isEqualTo("redis");
    assertThat(attributes.get("server.port").getIntValue()).isEqualTo(6379);
  }

  private static Map<String, AnyValue> protoAttributesOf(java.util.function.Predicate<Span> which) {
    Span span = SPANS.stream().filter(which).findFirst().orElseThrow();
    return attributes(OtlpEncoder.toProto(span).getAttributesList());
  }

  private static String peer(Span span) {
    return span.getRemote() == null ? null : span.getRemote().getService();
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
    return keyValues.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
