package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.Tracing;
import com.google.protobuf.ByteString;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.kafka.KafkaSender;

/** Ingest against a real broker and registry, fed by real tracer clients: OpenTelemetry SDK, Brave, producers. */
class IngestIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long MAX_BODY = 256 * 1024;

  private static KafkaTestCluster cluster;
  private static EmbeddedSchemaRegistry registry;
  private static StageRunner runner;
  private static IngestStage.Running ingest;
  private static Map<String, Object> serdeConfig;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaTestCluster.start();
    cluster.createTopics(List.of(Topics.SPANS, Topics.OTLP_SPANS, Topics.ZIPKIN, Topics.SPANS_DLQ,
        Topics.CANONICAL_SPANS));
    // The registry's own create-then-describe can race topic metadata, so its topic is made and awaited here first.
    cluster.createTopics(new NewTopic(EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    try (Admin admin = cluster.admin()) {
      await().atMost(WAIT).ignoreExceptions().until(() -> admin.describeTopics(
          List.of(EmbeddedSchemaRegistry.DEFAULT_TOPIC)).allTopicNames().get().size() == 1);
    }
    registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0);
    Path state = Files.createTempDirectory("ingest-it");
    TracepipeConfig config = TracepipeConfig.of(Map.of(
        TracepipeConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
        TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url(),
        TracepipeConfig.STATE_DIR, state.toString(),
        TracepipeConfig.HTTP_PORT, "0",
        "ingest.otlp.port", "0",
        "ingest.zipkin.port", "0",
        ReceiverSettings.GRPC_PORT, "0",
        "ingest.http.max-body-bytes", Long.toString(MAX_BODY)));
    runner = new StageRunner(config);
    ingest = new IngestStage().start(runner.context());
    serdeConfig = runner.context().serdeConfig();
    producer = cluster.producer(new ByteArraySerializer(), new ByteArraySerializer(),
        Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.OTLP_SPANS.maxMessageBytes()));
  }

  @AfterAll
  static void stop() {
    if (producer != null) producer.close();
    if (ingest != null) ingest.close();
    if (runner != null) runner.close();
    if (registry != null) registry.close();
    if (cluster != null) cluster.close();
  }

  @Test
  void openTelemetrySdkExportsOverOtlpHttpAndEachSpanComesOutOnceKeyedByTrace() {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://localhost:" + ingest.otlpPort() + "/v1/traces").setCompression("gzip").build();
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

    List<ConsumerRecord<String, Span>> out = canonical(r -> r.key().equals(traceId), 2);
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
      KafkaSender sender = KafkaSender.newBuilder().bootstrapServers(cluster.bootstrapServers())
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

      List<ConsumerRecord<String, Span>> out = canonical(r -> r.key().equals(traceId), 2);
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
    String first = randomHex(16);
    String second = randomHex(16);
    long now = System.currentTimeMillis() * 1_000_000L;
    ExportTraceServiceRequest proto = Fixtures.otlpRequest("billing",
        otlpSpan(first, randomHex(8), now), otlpSpan(second, randomHex(8), now), otlpSpan(first, randomHex(8), now));
    send(Topics.OTLP_SPANS.name(), proto.toByteArray());
    String jsonTrace = randomHex(16);
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"ledger\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"manual\"},\"spans\":[{\"traceId\":\""
        + jsonTrace.toUpperCase() + "\",\"spanId\":\"" + randomHex(8) + "\",\"name\":\"post\",\"kind\":3,"
        + "\"startTimeUnixNano\":\"" + now + "\",\"endTimeUnixNano\":\"" + (now + 5000) + "\","
        + "\"status\":{\"code\":2,\"message\":\"declined\"}}]}]}]}";
    send(Topics.OTLP_SPANS.name(), json.getBytes(StandardCharsets.UTF_8));

    List<ConsumerRecord<String, Span>> out = canonical(r -> Set.of(first, second, jsonTrace).contains(r.key()), 4);
    assertThat(out).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(first, first, second, jsonTrace);
    Span fromJson = out.stream().filter(r -> r.key().equals(jsonTrace)).findFirst().orElseThrow().value();
    assertThat(fromJson.getService()).isEqualTo("ledger");
    assertThat(fromJson.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(fromJson.getDurationNanos()).isEqualTo(5000);
    assertThat(fromJson.getStatus().getMessage()).isEqualTo("declined");
  }

  @Test
  void avroSpansWithAnyKeyAreReKeyedByTraceId() throws Exception {
    String traceId = randomHex(16);
    Span span = Fixtures.avroSpan().setTraceId(traceId.toUpperCase()).setSpanId(randomHex(8))
        .setStartTimeNanos(System.currentTimeMillis() * 1_000_000L).build();
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    producer.send(new ProducerRecord<>(Topics.SPANS.name(), "user-key".getBytes(StandardCharsets.UTF_8),
        serde.serialize(Topics.SPANS.name(), span))).get();
    List<ConsumerRecord<String, Span>> out = canonical(r -> r.key().equals(traceId), 1);
    assertThat(out).singleElement().satisfies(r -> {
      assertThat(r.value().getTraceId()).isEqualTo(traceId);
      assertThat(r.value().getService()).isEqualTo("checkout");
    });
  }

  @Test
  void poisonMessagesGoToTheDeadLetterTopicWithReasonsAndGoodOnesStillComeThrough() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] randomBytes = new byte[300];
    new Random().nextBytes(randomBytes);
    randomBytes[0] = (byte) 0xff; // neither '{' nor a protobuf field 1, so never read as a batch
    byte[] whole = Fixtures.otlpRequest("cart", otlpSpan(randomHex(16), randomHex(8), now)).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 10);
    byte[] invalidJson = "{\"resourceSpans\":[{".getBytes(StandardCharsets.UTF_8);
    byte[] zeroIds = Fixtures.otlpRequest("cart", otlpSpan("00".repeat(16), randomHex(8), now)).toByteArray();
    String negativeTrace = randomHex(16);
    byte[] negative = Fixtures.otlpRequest("cart",
        otlpSpan(negativeTrace, randomHex(8), now).toBuilder().setEndTimeUnixNano(now - 1).build()).toByteArray();
    byte[] zipkinNegative = ("[{\"traceId\":\"" + randomHex(8) + "\",\"id\":\"" + randomHex(8) + "\",\"timestamp\":"
        + now / 1000 + ",\"duration\":-3}]").getBytes(StandardCharsets.UTF_8);

    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put(offsetOf(send(Topics.SPANS.name(), randomBytes)), "undecodable");
    expected.put(offsetOf(send(Topics.OTLP_SPANS.name(), randomBytes)), "undecodable");
    expected.put(offsetOf(send(Topics.ZIPKIN.name(), randomBytes)), "undecodable");
    expected.put(offsetOf(send(Topics.OTLP_SPANS.name(), truncated)), "undecodable");
    expected.put(offsetOf(send(Topics.OTLP_SPANS.name(), invalidJson)), "undecodable");
    expected.put(offsetOf(send(Topics.ZIPKIN.name(), invalidJson)), "undecodable");
    expected.put(offsetOf(send(Topics.OTLP_SPANS.name(), zeroIds)), "invalid_trace_id");
    expected.put(offsetOf(send(Topics.OTLP_SPANS.name(), negative)), "negative_duration");
    expected.put(offsetOf(send(Topics.ZIPKIN.name(), zipkinNegative)), "negative_duration");
    // Larger than a producer's default 1 MiB request: the dead letter must still be written whole.
    byte[] big = new byte[3 * 1024 * 1024];
    new Random().nextBytes(big);
    big[0] = (byte) 0xff;
    expected.put(offsetOf(send(Topics.ZIPKIN.name(), big)), "undecodable");
    String good = randomHex(16);
    send(Topics.OTLP_SPANS.name(), Fixtures.otlpRequest("cart", otlpSpan(good, randomHex(8), now)).toByteArray());

    List<ConsumerRecord<byte[], byte[]>> letters = read(Topics.SPANS_DLQ.name(), new ByteArrayDeserializer(),
        r -> expected.containsKey(sourceOf(r)), expected.size());
    assertThat(letters).hasSize(expected.size());
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.REASON))
          .as(sourceOf(letter) + ": " + DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.DETAIL))
          .isEqualTo(expected.get(sourceOf(letter)));
    }
    ConsumerRecord<byte[], byte[]> undecodable = letters.stream()
        .filter(r -> sourceOf(r).startsWith(Topics.OTLP_SPANS.name()))
        .filter(r -> java.util.Arrays.equals(r.value(), truncated)).findFirst().orElseThrow();
    assertThat(DeadLetterHeaders.value(undecodable.headers(), DeadLetterHeaders.FORMAT)).isEqualTo("otlp_proto");
    ConsumerRecord<byte[], byte[]> negativeLetter = letters.stream()
        .filter(r -> "negative_duration".equals(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.REASON)))
        .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(negativeTrace))
        .findFirst().orElseThrow();
    assertThat(negativeLetter.value()).isEqualTo(negative);
    assertThat(letters).anySatisfy(r -> assertThat(r.value()).isEqualTo(big));
    assertThat(canonical(r -> r.key().equals(good), 1)).hasSize(1);
  }

  @Test
  void httpReceiversAnswerBadRequestsWithTheirStatusAndKeepServing() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String otlpUrl = "http://localhost:" + ingest.otlpPort() + "/v1/traces";
    var tooBig = http.send(post(otlpUrl, "application/x-protobuf", new byte[(int) MAX_BODY + 1]),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tooBig.statusCode()).isEqualTo(413);
    byte[] garbage = "not protobuf at all, just text".getBytes(StandardCharsets.UTF_8);
    var malformed = http.send(post(otlpUrl, "application/x-protobuf", garbage),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(malformed.statusCode()).isEqualTo(400);
    var zipkinMalformed = http.send(post("http://localhost:" + ingest.zipkinPort() + "/api/v2/spans",
        "application/json", "[{]".getBytes(StandardCharsets.UTF_8)), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(zipkinMalformed.statusCode()).isEqualTo(400);

    String good = randomHex(16);
    long now = System.currentTimeMillis() * 1_000_000L;
    var ok = http.send(post(otlpUrl, "application/x-protobuf",
        Fixtures.otlpRequest("cart", otlpSpan(good, randomHex(8), now)).toByteArray()),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(canonical(r -> r.key().equals(good), 1)).hasSize(1);
    List<ConsumerRecord<byte[], byte[]>> letters = read(Topics.SPANS_DLQ.name(), new ByteArrayDeserializer(),
        r -> java.util.Arrays.equals(r.value(), garbage), 1);
    assertThat(letters).singleElement().satisfies(r -> {
      assertThat(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("http:/v1/traces");
      assertThat(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.SOURCE_CLIENT)).contains("127.0.0.1");
    });
  }

  @Test
  void unreachableKafkaMakesTheReceiverAnswer503WithRetryAfter() {
    TracepipeConfig config = TracepipeConfig.of(Map.of(TracepipeConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
        "ingest.http.producer-max-block", "300ms"));
    IngestSettings settings = IngestSettings.from(config);
    try (SpanPublisher publisher = IngestStage.publisher(config, serdeConfig, settings)) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      OtlpHttpReceiver receiver = new OtlpHttpReceiver(new HttpIngestion(
          new SpanIngestor(new SpanValidator(settings.limits()), new IngestMetrics(meters)), publisher, MAX_BODY,
          meters), Duration.ofSeconds(3));
      long now = System.currentTimeMillis() * 1_000_000L;
      HttpResponse response = receiver.handle(HttpRequest.of("POST", "/v1/traces", Map.of(), Map.of(),
          Map.of("Content-Type", "application/x-protobuf"),
          Fixtures.otlpRequest("cart", otlpSpan(randomHex(16), randomHex(8), now)).toByteArray()));
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.headers()).containsEntry("Retry-After", "3");
    }
  }

  private static io.opentelemetry.proto.trace.v1.Span otlpSpan(String traceId, String spanId, long startNanos) {
    return Fixtures.otlpSpan().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId))).clearParentSpanId()
        .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + 1000).build();
  }

  private static java.net.http.HttpRequest post(String url, String contentType, byte[] body) {
    return java.net.http.HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static RecordMetadata send(String topic, byte[] value) throws Exception {
    return producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
  }

  private static String offsetOf(RecordMetadata meta) {
    return meta.topic() + "/" + meta.partition() + "/" + meta.offset();
  }

  private static String sourceOf(ConsumerRecord<?, ?> letter) {
    return DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC) + "/"
        + DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_PARTITION) + "/"
        + DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET);
  }

  private static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(id);
  }

  private static List<ConsumerRecord<String, Span>> canonical(Predicate<ConsumerRecord<String, Span>> mine,
      int expected) {
    Deserializer<Span> values = AvroSerde.specific(Span.class).configured(serdeConfig, false).deserializer();
    return read(Topics.CANONICAL_SPANS.name(), values, mine, expected);
  }

  /**
   * Reads a topic (read_committed) from the start until {@code expected} matching records arrived, then once more,
   * so that a duplicate would be seen rather than missed.
   */
  private static <K, V> List<ConsumerRecord<K, V>> read(String topic, Deserializer<V> values,
      Predicate<ConsumerRecord<K, V>> mine, int expected) {
    @SuppressWarnings("unchecked")
    Deserializer<K> keys = (Deserializer<K>) (topic.equals(Topics.SPANS_DLQ.name())
        ? new ByteArrayDeserializer() : new StringDeserializer());
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = cluster.consumer(keys, values)) {
      consumer.subscribe(List.of(topic));
      await().atMost(WAIT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (mine.test(r)) out.add(r);
        });
        return out.size() >= expected;
      });
      consumer.poll(Duration.ofMillis(1000)).forEach(r -> {
        if (mine.test(r)) out.add(r);
      });
    }
    return out;
  }
}
