package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;

/** Spans made and exported by the OpenTelemetry SDK itself, as an instrumented service sends them. */
final class SdkExports {
  private SdkExports() {}

  /** A server span with a client child, exported and flushed; the trace id. */
  static String exportTwoSpans(SpanExporter exporter, String service) {
    SdkTracerProvider provider = provider(exporter, service);
    Tracer tracer = provider.get("it.receivers");
    io.opentelemetry.api.trace.Span root = tracer.spanBuilder("GET /pay")
        .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).startSpan();
    try (Scope ignored = root.makeCurrent()) {
      tracer.spanBuilder("SELECT").setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT).startSpan().end();
    }
    root.end();
    assertThat(provider.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    return root.getSpanContext().getTraceId();
  }

  static SdkTracerProvider provider(SpanExporter exporter, String service) {
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), service))))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  }
}
