package dev.tracepipe.ingest;

import com.google.protobuf.ByteString;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.LinkedHashMap;

/** Spans with fixed ids for unit tests. */
final class Fixtures {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";
  static final String PARENT_ID = "53995c3f42cd8ad8";
  /** 2024-05-01T12:00:00Z, the reference time of unit tests. */
  static final long NOW_MILLIS = 1_714_564_800_000L;
  static final long START_NANOS = NOW_MILLIS * 1_000_000L - 5_000_000_000L;

  private Fixtures() {}

  static Span.Builder avroSpan() {
    return Span.newBuilder()
        .setTraceId(TRACE_ID)
        .setSpanId(SPAN_ID)
        .setParentSpanId(PARENT_ID)
        .setService("checkout")
        .setName("GET /cart")
        .setKind(SpanKind.SERVER)
        .setStartTimeNanos(START_NANOS)
        .setDurationNanos(1_500_000L)
        .setAttributes(new LinkedHashMap<>())
        .setResourceAttributes(new LinkedHashMap<>());
  }

  static io.opentelemetry.proto.trace.v1.Span.Builder otlpSpan() {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(SpanIds.fromHex(TRACE_ID)))
        .setSpanId(ByteString.copyFrom(SpanIds.fromHex(SPAN_ID)))
        .setParentSpanId(ByteString.copyFrom(SpanIds.fromHex(PARENT_ID)))
        .setName("GET /cart")
        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(START_NANOS)
        .setEndTimeUnixNano(START_NANOS + 1_500_000L);
  }

  static ExportTraceServiceRequest otlpRequest(String service, io.opentelemetry.proto.trace.v1.Span... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.okhttp").setVersion("1.2.3"));
    for (io.opentelemetry.proto.trace.v1.Span span : spans) scope.addSpans(span);
    Resource.Builder resource = Resource.newBuilder();
    if (service != null) resource.addAttributes(attribute("service.name", AnyValue.newBuilder().setStringValue(service)));
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  static KeyValue attribute(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static KeyValue attribute(String key, String value) {
    return attribute(key, AnyValue.newBuilder().setStringValue(value));
  }
}
