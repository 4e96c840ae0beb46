package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.TopicSpec;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import dev.tracepipe.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stage, topic creation, the embedded registry's log and {@code tracepipe tail} on a broker that accepts only
 * SASL_SSL, configured by the same keys a user sets; a client without the right credentials is refused.
 */
class SecuredKafkaIT {
  @TempDir
  Path dir;

  @Test
  void pipelineRunsOnASaslSslOnlyBrokerAndRefusesClientsWithoutCredentials() throws Exception {
    TestCertificates certificates = TestCertificates.create(dir);
    try (KafkaTestCluster kafka = KafkaTestCluster.startSecured(certificates)) {
      Map<String, String> security = new HashMap<>();
      kafka.clientSecurity().forEach((k, v) -> security.put(k, v.toString()));
      try (AllInOne pipeline = TestPipeline.start(kafka.bootstrapServers(), dir.resolve("data"), security)) {
        try (Admin admin = kafka.admin()) {
          assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
              .containsAll(Topics.ALL.stream().map(TopicSpec::name).toList());
        }
        int port = pipeline.runner().context().http().port();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
            .until(() -> status("http://localhost:" + port + "/health") == 200);

        String traceId = UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> serde = Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, pipeline.registryUrl());
        try (KafkaProducer<String, Span> producer = kafka.producer(new StringSerializer(),
            Topics.SPANS.valueSerde(serde).serializer())) {
          producer.send(new ProducerRecord<>(Topics.SPANS.name(), traceId, span(traceId))).get();
        }
        Map<String, Object> client = new HashMap<>(kafka.clientSecurity());
        client.put(TracepipeConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
          out.reset();
          new TailCommand(client, serde, new PrintStream(out, true, StandardCharsets.UTF_8))
              .run(Topics.TRACES.name(), true, 0, Duration.ofSeconds(2));
          return out.toString(StandardCharsets.UTF_8).contains(traceId);
        });
        assertThat(kafka.read(Topics.TRACES.name(), new org.apache.kafka.common.serialization.StringDeserializer(),
            Topics.TRACES.valueSerde(serde).deserializer(), 1, Duration.ofSeconds(30)))
            .extracting(r -> ((Trace) r.value()).getTraceId()).contains(traceId);
      }

      Map<String, Object> wrongPassword = new HashMap<>(
          KafkaTestCluster.clientSecurity(certificates, KafkaTestCluster.SASL_USER, "not-the-password"));
      wrongPassword.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(wrongPassword)) {
        assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
      }
      Map<String, Object> plain = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
      try (Admin admin = Admin.create(plain)) {
        assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .as("a plain-text client without credentials gets nothing").isInstanceOf(ExecutionException.class);
      }
    }
  }

  private static Span span(String traceId) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Span.newBuilder().setTraceId(traceId).setSpanId("00000000000000a1").setService("checkout")
        .setName("POST /checkout").setKind(SpanKind.SERVER).setStartTimeNanos(now).setDurationNanos(5_000_000)
        .build();
  }

  private static int status(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
