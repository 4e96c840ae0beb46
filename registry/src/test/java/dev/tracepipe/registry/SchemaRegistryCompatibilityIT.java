package dev.tracepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.registry.PythonConfluentClient.Run;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.serde.SchemaRegistryClients;
import dev.tracepipe.schemas.serde.WireFormat;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the embedded registry and our serde against Confluent's own Python client (Debian's
 * python3-confluent-kafka): schemas it registers, bytes it writes and records it produces through the
 * broker must all be readable by our side, and the other way round.
 */
class SchemaRegistryCompatibilityIT {
  private static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(60);
  private static KafkaTestCluster cluster;
  private static EmbeddedSchemaRegistry registry;
  private static Path spanSchema;
  /** Why Confluent's Python client cannot run here; null when it can. */
  private static String pythonProblem;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    pythonProblem = pythonClientProblem();
    if (pythonProblem != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail(pythonProblem);
      }
      System.err.println("SKIPPING " + SchemaRegistryCompatibilityIT.class.getSimpleName() + ": " + pythonProblem);
      return;
    }
    spanSchema = dir.resolve("Span.avsc");
    Files.writeString(spanSchema, Span.getClassSchema().toString());
    cluster = KafkaTestCluster.start();
    registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0);
  }

  /** On CI the client is part of the machine's setup, so its absence fails; elsewhere the tests are skipped. */
  @BeforeEach
  void requirePythonClient() {
    Assumptions.assumeTrue(pythonProblem == null, () -> pythonProblem);
  }

  private static String pythonClientProblem() {
    String problem;
    if (!Files.isExecutable(PythonConfluentClient.PYTHON)) {
      problem = PythonConfluentClient.PYTHON + " does not exist";
    } else {
      Run check = PythonConfluentClient.run(Duration.ofSeconds(30), "", "check");
      problem = check.exitCode() == 0 ? null : "confluent_kafka.avro does not import: " + check.stderr().strip();
    }
    return problem == null ? null : problem + ". Install Debian's python3-confluent-kafka, python3-avro and"
        + " python3-requests to run the cross-check with Confluent's Python client.";
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void bytesWrittenByConfluentsSerializerDecodeWithOurSerde() {
    String topic = topic();
    Span span = span();

    JsonNode result = PythonConfluentClient.call(PYTHON_TIMEOUT, SpecificData.get().toString(span),
        "serialize", registry.url(), topic, spanSchema.toString());
    byte[] framed = HexFormat.of().parseHex(result.get("hex").asText());

    assertThat(serde().deserialize(topic, framed)).isEqualTo(span);
    int id = WireFormat.schemaId(framed);
    RegistryHttp http = new RegistryHttp(registry.url());
    assertThat(http.get("/subjects/" + topic + "-value/versions/latest").body().get("id").asInt()).isEqualTo(id);

    // Python spells out namespaces Java leaves implicit; canonicalising must still find the same schema.
    assertThat(WireFormat.schemaId(serde().serialize(topic, span))).isEqualTo(id);
    assertThat(http.get("/subjects/" + topic + "-value/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void bytesWrittenByOurSerdeDecodeWithConfluentsDeserializer() throws IOException {
    String topic = topic();
    Span span = span();
    byte[] framed = serde().serialize(topic, span);

    JsonNode result = PythonConfluentClient.call(PYTHON_TIMEOUT,
        "{\"hex\":\"" + HexFormat.of().formatHex(framed) + "\"}", "deserialize", registry.url());

    assertThat(result.get("record")).isEqualTo(RegistryHttp.JSON.readTree(SpecificData.get().toString(span)));
  }

  @Test
  void confluentsRegistryClientGetsTheAnswersItExpects() {
    String subject = topic() + "-value";

    JsonNode out = PythonConfluentClient.call(PYTHON_TIMEOUT, "", "api", registry.url(), subject, spanSchema.toString());

    int id1 = out.get("id1").asInt();
    int id2 = out.get("id2").asInt();
    assertThat(id2).isNotEqualTo(id1);
    assertThat(out.get("v2_compatible").asBoolean()).isTrue();
    assertThat(out.get("required_compatible").asBoolean()).isFalse();
    assertThat(out.get("required_register").asText()).startsWith("Incompatible Avro schema:409");
    assertThat(out.get("latest").toString()).isEqualTo("[" + id2 + ",2]");
    assertThat(out.get("check_registration_v1").asInt()).isEqualTo(id1);
    assertThat(out.get("version_of_v2").asInt()).isEqualTo(2);
    assertThat(out.get("fetched_fields")).extracting(JsonNode::asText)
        .containsExactlyElementsOf(Span.getClassSchema().getFields().stream().map(f -> f.name()).toList());
    assertThat(out.get("missing_id_is_none").asBoolean()).isTrue();
    assertThat(out.get("global_level").asText()).isEqualTo("BACKWARD");
    assertThat(out.get("set_subject_level").asText()).isEqualTo("FULL");
    assertThat(out.get("subject_level").asText()).isEqualTo("FULL");
    assertThat(out.get("deleted_versions").toString()).isEqualTo("[1,2]");
    assertThat(out.get("latest_after_delete").toString()).isEqualTo("[null,null,null]");
  }

  @Test
  void recordsFromConfluentsAvroProducerAreReadThroughTheBrokerByOurDeserializer() {
    String topic = topic();
    List<Span> spans = List.of(span(), span(), span());
    String records = "[" + String.join(",", spans.stream().map(s -> SpecificData.get().toString(s)).toList()) + "]";

    JsonNode result = PythonConfluentClient.call(PYTHON_TIMEOUT, records,
        "produce", registry.url(), cluster.bootstrapServers(), topic, spanSchema.toString());
    assertThat(result.get("produced").asInt()).isEqualTo(3);

    List<ConsumerRecord<byte[], Span>> read = cluster.read(topic, new ByteArrayDeserializer(),
        serde().deserializer(), spans.size(), Duration.ofSeconds(30));
    assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(spans);
  }

  private static AvroSerde<Span> serde() {
    return AvroSerde.specific(Span.class).configured(Map.of(SchemaRegistryClients.URL, registry.url()), false);
  }

  private static String topic() {
    return "spans-" + UUID.randomUUID();
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** A span that uses every kind of field: unions both ways, maps, arrays, enums, nested records, non-ASCII text. */
  private static Span span() {
    long start = 1_700_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
    return Span.newBuilder()
        .setTraceId(hex(16))
        .setSpanId(hex(8))
        .setParentSpanId(hex(8))
        .setService("checkout")
        .setName("GET /cart/{id}")
        .setKind(SpanKind.SERVER)
        .setStartTimeNanos(start)
        .setDurationNanos(12_345_678L)
        .setStatus(Status.newBuilder().setCode(StatusCode.ERROR).setMessage("délai dépassé ✗").build())
        .setAttributes(Map.of("http.route", "/cart/{id}", "http.status_code", "504"))
        .setResourceAttributes(Map.of("service.version", "1.4.2"))
        .setEvents(List.of(SpanEvent.newBuilder().setTimeNanos(start + 5).setName("retry")
            .setAttributes(Map.of("attempt", "2")).build()))
        .setRemote(RemotePeer.newBuilder().setService("inventory").setPort(8443).build())
        .setScope("io.opentelemetry.servlet")
        .setDroppedAttributesCount(1)
        .build();
  }
}
