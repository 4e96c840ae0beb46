package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import com.google.protobuf.ByteString;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.kafka.KafkaSender;

/** Ingest against a real broker and registry, fed by real tracer clients: OpenTelemetry SDK, Brave, producers. */
class IngestIT {
  private static ReceiverCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ReceiverCluster(Map.of());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void openTelemetrySdkExportsOverOtlpHttpAndEachSpanComesOutOnceKeyedByTrace() {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://localhost:" + cluster.ingest.otlpPort() + "/v1/traces").setCompression("gzip").build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "checkout"))))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Tracer tracer = provider.get("it.instrumentation", "2.0.1");
    io.opentelemetry.api.trace.Span root = tracer.spanBuilder("GET /cart")
        .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).startSpan();
    String traceId = root.getSpanContext().getTraceId();
    String dbSpanId;
    try (Scope ignored = root.makeCurrent()) {
      io.opentelemetry.api.trace.Span db = tracer.spanBuilder("SELECT carts")
          .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
          .setAttribute("db.system", "postgresql").setAttribute("server.address", "db.internal")
          .setAttribute("server.port", 5432L).setAttribute("peer.service", "postgres").startSpan();
      dbSpanId = db.getSpanContext().getSpanId();
      db.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
      db.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "timeout");
      db.end();
    }
    root.setAttribute(AttributeKey.stringArrayKey("cart.items"), List.of("apple", "pear"));
    root.end();
    assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    List<ConsumerRecord<String, Span>> out = cluster.canonical(r -> r.key().equals(traceId), 2);
    assertThat(out).hasSize(2).allSatisfy(r -> {
      assertThat(r.key()).isEqualTo(traceId);
      assertThat(r.value().getService()).isEqualTo("checkout");
      assertThat(r.value().getScope()).isEqualTo("it.instrumentation");
    });
    Span db = out.stream().map(ConsumerRecord::value).filter(s -> s.getSpanId().equals(dbSpanId)).findFirst()
        .orElseThrow();
    assertThat(db.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(db.getParentSpanId()).isEqualTo(root.getSpanContext().getSpanId());
    assertThat(db.getStatus().getCode()).isEqualTo(StatusCode.ERROR);
    assertThat(db.getStatus().getMessage()).isEqualTo("timeout");
    assertThat(db.getRemote()).isEqualTo(new RemotePeer("postgres", "db.internal", 5432, "postgresql", null, null));
    assertThat(db.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("retry");
      assertThat(e.getAttributes()).containsEntry("attempt", "2");
    });
    assertThat(db.getDurationNanos()).isGreaterThanOrEqualTo(0);
    Span rootOut = out.stream().map(ConsumerRecord::value).filter(s -> s.getParentSpanId() == null).findFirst()
        .orElseThrow();
    assertThat(rootOut.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(rootOut.getAttributes()).containsEntry("cart.items", "[\"apple\",\"pear\"]")
        .containsEntry("otel.scope.version", "2.0.1");
    assertThat(rootOut.getResourceAttributes()).containsEntry("telemetry.sdk.language", "java");
  }

  @Test
  void braveReportsToTheZipkinTopicInJsonAndProto3() throws Exception {
    for (Encoding encoding : List.of(Encoding.JSON, Encoding.PROTO3)) {
      KafkaSender sender = KafkaSender.newBuilder().bootstrapServers(cluster.kafka.bootstrapServers())
          .topic(Topics.ZIPKIN.name()).encoding(encoding).build();
      AsyncZipkinSpanHandler handler = AsyncZipkinSpanHandler.create(sender);
      Tracing tracing = Tracing.newBuilder().localServiceName("frontend").addSpanHandler(handler).build();
      brave.Span server = tracing.tracer().newTrace().name("get /").kind(brave.Span.Kind.SERVER)
          .remoteServiceName("browser").start();
      brave.Span client = tracing.tracer().newChild(server.context()).name("get /api").kind(brave.Span.Kind.CLIENT)
          .remoteServiceName("backend").tag("error", "boom");
      client.remoteIpAndPort("10.0.0.2", 8080);
      client.start();
      client.annotate("retrying");
      client.finish();
      server.finish();
      String traceId = "0000000000000000" + server.context().traceIdString();
      handler.flush();
      tracing.close();
      handler.close();
      sender.close();

      List<ConsumerRecord<String, Span>> out = cluster.canonical(r -> r.key().equals(traceId), 2);
      assertThat(out).as(encoding.name()).hasSize(2);
      Span clientOut = out.stream().map(ConsumerRecord::value).filter(s -> s.getKind() == SpanKind.CLIENT)
          .findFirst().orElseThrow();
      assertThat(clientOut.getService()).isEqualTo("frontend");
      assertThat(clientOut.getName()).isEqualTo("get /api");
      assertThat(clientOut.getParentSpanId()).isEqualTo(server.context().spanIdString());
      assertThat(clientOut.getStatus().getCode()).isEqualTo(StatusCode.ERROR);
      assertThat(clientOut.getStatus().getMessage()).isEqualTo("boom");
      assertThat(clientOut.getRemote()).isEqualTo(new RemotePeer("backend", "10.0.0.2", 8080, null, null, null));
      assertThat(clientOut.getEvents()).extracting(e -> e.getName()).containsExactly("retrying");
      assertThat(clientOut.getStartTimeNanos() % 1000).isZero();
    }
  }

  @Test
  void otlpBatchesOnTheTopicInProtobufAndJsonComeOutSpanBySpan() throws Exception {
    String first = ReceiverCluster.randomHex(16);
    String second = ReceiverCluster.randomHex(16);
    long now = System.currentTimeMillis() * 1_000_000L;
    ExportTraceServiceRequest proto = Fixtures.otlpRequest("billing",
        span(first, ReceiverCluster.randomHex(8), now), span(second, ReceiverCluster.randomHex(8), now), span(first, ReceiverCluster.randomHex(8), now));
    cluster.send(Topics.OTLP_SPANS.name(), proto.toByteArray());
    String jsonTrace = ReceiverCluster.randomHex(16);
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"ledger\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"manual\"},\"spans\":[{\"traceId\":\""
        + jsonTrace.toUpperCase() + "\",\"spanId\":\"" + ReceiverCluster.randomHex(8) + "\",\"name\":\"post\",\"kind\":3,"
        + "\"startTimeUnixNano\":\"" + now + "\",\"endTimeUnixNano\":\"" + (now + 5000) + "\","
        + "\"status\":{\"code\":2,\"message\":\"declined\"}}]}]}]}";
    cluster.send(Topics.OTLP_SPANS.name(), json.getBytes(StandardCharsets.UTF_8));

    List<ConsumerRecord<String, Span>> out = cluster.canonical(r -> Set.of(first, second, jsonTrace).contains(r.key()), 4);
    assertThat(out).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(first, first, second, jsonTrace);
    Span fromJson = out.stream().filter(r -> r.key().equals(jsonTrace)).findFirst().orElseThrow().value();
    assertThat(fromJson.getService()).isEqualTo("ledger");
    assertThat(fromJson.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(fromJson.getDurationNanos()).isEqualTo(5000);
    assertThat(fromJson.getStatus().getMessage()).isEqualTo("declined");
  }

  @Test
  void avroSpansWithAnyKeyAreReKeyedByTraceId() throws Exception {
    String traceId = ReceiverCluster.randomHex(16);
    Span span = Fixtures.avroSpan().setTraceId(traceId.toUpperCase()).setSpanId(ReceiverCluster.randomHex(8))
        .setStartTimeNanos(System.currentTimeMillis() * 1_000_000L).build();
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(cluster.serdeConfig(), false);
    cluster.producer.send(new ProducerRecord<>(Topics.SPANS.name(), "user-key".getBytes(StandardCharsets.UTF_8),
        serde.serialize(Topics.SPANS.name(), span))).get();
    List<ConsumerRecord<String, Span>> out = cluster.canonical(r -> r.key().equals(traceId), 1);
    assertThat(out).singleElement().satisfies(r -> {
      assertThat(r.value().getTraceId()).isEqualTo(traceId);
      assertThat(r.value().getService()).isEqualTo("checkout");
    });
  }


  private static io.opentelemetry.proto.trace.v1.Span span(String traceId, String spanId, long startNanos) {
    return Fixtures.otlpSpan().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId))).clearParentSpanId()
        .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + 1000).build();
  }
}
