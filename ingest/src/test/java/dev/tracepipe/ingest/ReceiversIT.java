package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import dev.tracepipe.avro.Span;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.platform.http.Peers;
import dev.tracepipe.testkit.SelfSignedKeyStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The receivers as a network-facing deployment runs them: TLS from a key store and a bearer token on every server, fed
 * by the OpenTelemetry SDK's own exporters, spans checked on the canonical topic of a real broker.
 */
class ReceiversIT {
  private static final String TOKEN = "it-token-" + ReceiverCluster.randomHex(4);
  private static SelfSignedKeyStore keyStore;
  private static ReceiverCluster cluster;
  private static Peers https;

  @BeforeAll
  static void start() throws Exception {
    keyStore = SelfSignedKeyStore.create(Files.createTempDirectory("receivers-tls"));
    Map<String, String> secured = Map.of(
        HttpSettings.PREFIX + HttpSettings.KEY_STORE, keyStore.path().toString(),
        HttpSettings.PREFIX + HttpSettings.KEY_STORE_PASSWORD, keyStore.password(),
        HttpSettings.PREFIX + HttpSettings.TRUST_STORE, keyStore.path().toString(),
        HttpSettings.PREFIX + HttpSettings.TRUST_STORE_PASSWORD, keyStore.password(),
        HttpSettings.PREFIX + HttpSettings.AUTH_TOKENS, TOKEN);
    cluster = new ReceiverCluster(secured);
    https = new Peers(cluster.runner.context().http().settings());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void sdkGrpcExporterOverTlsWithATokenDeliversEachSpanOnce() throws Exception {
    OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
        .setEndpoint("https://localhost:" + cluster.ingest.grpcPort())
        .setTrustedCertificates(keyStore.certificatePem())
        .addHeader("Authorization", "Bearer " + TOKEN)
        .setCompression("gzip").build();
    String traceId = SdkExports.exportTwoSpans(exporter, "checkout");
    List<Span> spans = cluster.awaitCanonical(traceId, 2);
    assertThat(spans).hasSize(2).allSatisfy(s -> assertThat(s.getService()).isEqualTo("checkout"));
    assertThat(cluster.canonicalSpans(traceId)).as("read again to the end: no duplicate").hasSize(2);
  }

  @Test
  void sdkGrpcExporterWithoutTheTokenIsRefused() throws Exception {
    OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
        .setEndpoint("https://localhost:" + cluster.ingest.grpcPort())
        .setTrustedCertificates(keyStore.certificatePem()).build();
    SdkTracerProvider provider = SdkExports.provider(exporter, "anonymous");
    provider.get("it").spanBuilder("refused").startSpan().end();
    assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void sdkHttpExporterOverTlsWithATokenDeliversSpans() throws Exception {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("https://localhost:" + cluster.ingest.otlpPort() + "/v1/traces")
        .setTrustedCertificates(keyStore.certificatePem())
        .addHeader("Authorization", "Bearer " + TOKEN)
        .setCompression("gzip").build();
    String traceId = SdkExports.exportTwoSpans(exporter, "cart");
    assertThat(cluster.awaitCanonical(traceId, 2)).hasSize(2);
  }

  @Test
  void otlpHttpWithoutCredentialsIs401WithAStatusBodyInTheRequestEncoding() throws Exception {
    var protobuf = https.client().send(https.request("localhost", cluster.ingest.otlpPort(), "/v1/traces")
        .header("Content-Type", "application/x-protobuf")
        .POST(BodyPublishers.ofByteArray(Fixtures.otlpRequest("cart",
            ReceiverCluster.spanNow(ReceiverCluster.randomHex(16))).toByteArray())).build(),
        BodyHandlers.ofByteArray());
    assertThat(protobuf.statusCode()).as("the peer client sends the token").isEqualTo(200);
    var anonymous = https.client().send(java.net.http.HttpRequest.newBuilder(
        https.uri("localhost", cluster.ingest.otlpPort(), "/v1/traces"))
        .header("Content-Type", "application/x-protobuf").POST(BodyPublishers.ofByteArray(new byte[0])).build(),
        BodyHandlers.ofByteArray());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).contains("application/x-protobuf");
    CodedInputStream status = CodedInputStream.newInstance(anonymous.body());
    assertThat(status.readTag()).isEqualTo(8);
    assertThat(status.readInt32()).isEqualTo(RpcStatus.UNAUTHENTICATED);
    var json = https.client().send(java.net.http.HttpRequest.newBuilder(
        https.uri("localhost", cluster.ingest.otlpPort(), "/v1/traces"))
        .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{}")).build(),
        BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(401);
    assertThat(OtlpJson.MAPPER.readTree(json.body()).get("code").asInt()).isEqualTo(RpcStatus.UNAUTHENTICATED);
  }

  @Test
  void partOfABatchRejectedIsAPartialSuccessOverOtlpAndACountedAnswerOverZipkin() throws Exception {
    String traceId = ReceiverCluster.randomHex(16);
    io.opentelemetry.proto.trace.v1.Span negative = ReceiverCluster.spanNow(traceId).toBuilder()
        .setEndTimeUnixNano(1).build();
    var otlp = https.client().send(https.request("localhost", cluster.ingest.otlpPort(), "/v1/traces")
        .header("Content-Type", "application/x-protobuf").POST(BodyPublishers.ofByteArray(
            Fixtures.otlpRequest("cart", ReceiverCluster.spanNow(traceId), negative).toByteArray())).build(),
        BodyHandlers.ofByteArray());
    assertThat(otlp.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(otlp.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("negative_duration=1");
    assertThat(cluster.awaitCanonical(traceId, 1)).hasSize(1);

    long micros = System.currentTimeMillis() * 1000;
    String good = "{\"traceId\":\"" + ReceiverCluster.randomHex(8) + "\",\"id\":\"0000000000000001\",\"timestamp\":"
        + micros + ",\"duration\":10,\"localEndpoint\":{\"serviceName\":\"cart\"}}";
    String ancient = good.replace("\"timestamp\":" + micros, "\"timestamp\":1000000");
    var partial = zipkin("application/json", "[" + good + "," + ancient + "]");
    assertThat(partial.statusCode()).isEqualTo(202);
    assertThat(OtlpJson.MAPPER.readTree(partial.body()).get("rejected").asInt()).isEqualTo(1);
    assertThat(OtlpJson.MAPPER.readTree(partial.body()).get("accepted").asInt()).isEqualTo(1);
    var none = zipkin("application/json", "[" + ancient + "]");
    assertThat(none.statusCode()).as("nothing accepted: sending again cannot help").isEqualTo(400);
    assertThat(none.body()).contains("\"rejected\":1");
    var wrongType = zipkin("text/plain", "[" + good + "]");
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(wrongType.body()).contains("application/json");
  }

  @Test
  void grpcExporterRetriesWhenThePublishFailsAndTheSpansArriveOnce() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(1);
    // A real producer on the real broker whose first send fails as when Kafka's metadata is unavailable.
    KafkaProducer<byte[], byte[]> flaky = new KafkaProducer<>(cluster.producerConfig(), new ByteArraySerializer(),
        new ByteArraySerializer()) {
      @Override
      public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        if (failuresLeft.getAndDecrement() > 0) throw new TimeoutException("metadata not available (test)");
        return super.send(record);
      }
    };
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    HttpSettings plain = HttpSettings.DEFAULTS.withMaxBodyBytes(ReceiverSettings.DEFAULT_MAX_BODY_BYTES);
    HttpIngestion ingestion = cluster.ingestion(flaky, plain.maxBodyBytes(), meters);
    try (OtlpGrpcReceiver receiver = OtlpGrpcReceiver.start(ingestion, plain, "127.0.0.1", 0)) {
      OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + receiver.port())
          .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofMillis(200)).build())
          .build();
      String traceId = SdkExports.exportTwoSpans(exporter, "payments");
      assertThat(failuresLeft.get()).as("the first attempt failed").isNegative();
      assertThat(meters.get(HttpIngestion.REQUESTS).tags("receiver", "otlp_grpc", "status", "503").counter().count())
          .isEqualTo(1.0);
      assertThat(cluster.awaitCanonical(traceId, 2)).hasSize(2);
      assertThat(cluster.canonicalSpans(traceId)).as("the retry wrote each span once").hasSize(2);
    }
  }

  private static java.net.http.HttpResponse<String> zipkin(String contentType, String body) throws Exception {
    return https.client().send(https.request("localhost", cluster.ingest.zipkinPort(), "/api/v2/spans")
        .header("Content-Type", contentType).POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        BodyHandlers.ofString());
  }
}
