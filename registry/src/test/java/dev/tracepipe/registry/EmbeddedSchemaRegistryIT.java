package dev.tracepipe.registry;

import static dev.tracepipe.registry.RegistryHttp.encode;
import static dev.tracepipe.registry.RegistryHttp.schemaBody;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.registry.RegistryHttp.Reply;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedSchemaRegistryIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static KafkaTestCluster cluster;
  private static EmbeddedSchemaRegistry registry;
  private static RegistryHttp http;

  @BeforeAll
  static void start() {
    cluster = KafkaTestCluster.start();
    registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0);
    http = new RegistryHttp(registry.url());
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

  private static String subject() {
    return "orders-" + UUID.randomUUID() + "-value";
  }

  /** A record schema with a random name, so each test's schemas get ids of their own. */
  private static String schema(String name, String extraFields) {
    return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"it\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}"
        + extraFields + "]}";
  }

  private static String uniqueName() {
    return "R" + UUID.randomUUID().toString().replace("-", "");
  }

  private static int register(String subject, String schema) {
    Reply reply = http.post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    return reply.body().get("id").asInt();
  }

  @Test
  void registeredSchemasAreServedByIdVersionAndLookup() throws Exception {
    String subject = subject();
    String name = uniqueName();
    String v1 = schema(name, "");
    String v2 = schema(name, ",{\"name\":\"total\",\"type\":\"long\",\"default\":0}");

    int id1 = register(subject, v1);
    int id2 = register(subject, v2);
    assertThat(id2).isGreaterThan(id1);

    Reply byId = http.get("/schemas/ids/" + id1);
    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(new Schema.Parser().parse(byId.body().get("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(v1));

    assertThat(http.get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1,2]");
    JsonNode first = http.get("/subjects/" + encode(subject) + "/versions/1").body();
    assertThat(first.get("subject").asText()).isEqualTo(subject);
    assertThat(first.get("version").asInt()).isEqualTo(1);
    assertThat(first.get("id").asInt()).isEqualTo(id1);
    JsonNode latest = http.get("/subjects/" + encode(subject) + "/versions/latest").body();
    assertThat(latest.get("version").asInt()).isEqualTo(2);
    assertThat(latest.get("id").asInt()).isEqualTo(id2);
    assertThat(http.get("/subjects/" + encode(subject) + "/versions/latest/schema").body())
        .isEqualTo(RegistryHttp.JSON.readTree(latest.get("schema").asText()));

    Reply lookup = http.post("/subjects/" + encode(subject), schemaBody(v1));
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.body().get("version").asInt()).isEqualTo(1);
    assertThat(lookup.body().get("id").asInt()).isEqualTo(id1);

    assertThat(http.get("/subjects").body()).extracting(JsonNode::asText).contains(subject);
    assertThat(http.get("/schemas/ids/" + id1 + "/versions").body().toString())
        .isEqualTo("[{\"subject\":\"" + subject + "\",\"version\":1}]");
  }

  @Test
  void reRegisteringReturnsTheSameIdAndAnotherSubjectReusesIt() {
    String subject = subject();
    String schema = schema(uniqueName(), "");
    int id = register(subject, schema);

    // Same schema, different formatting.
    assertThat(register(subject, schema.replace(",", ", "))).isEqualTo(id);
    assertThat(http.get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1]");
    String other = subject();
    assertThat(register(other, schema)).isEqualTo(id);
    assertThat(http.get("/subjects/" + encode(other) + "/versions/1").body().get("id").asInt()).isEqualTo(id);
  }

  @Test
  void anIncompatibleSchemaIsRejectedWith409() {
    String subject = subject();
    String name = uniqueName();
    register(subject, schema(name, ""));
    String requiredTotal = schema(name, ",{\"name\":\"total\",\"type\":\"long\"}");

    Reply test = http.post("/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
        schemaBody(requiredTotal));
    assertThat(test.body().get("is_compatible").asBoolean()).isFalse();
    assertThat(test.body().get("messages").toString()).contains("total");

    Reply rejected = http.post("/subjects/" + encode(subject) + "/versions", schemaBody(requiredTotal));
    assertThat(rejected.status()).isEqualTo(409);
    assertThat(rejected.errorCode()).isEqualTo(409);
    assertThat(rejected.body().get("message").asText()).contains("incompatible");
    assertThat(http.get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[1]");

    String optionalTotal = schema(name, ",{\"name\":\"total\",\"type\":\"long\",\"default\":0}");
    assertThat(http.post("/compatibility/subjects/" + encode(subject) + "/versions/1", schemaBody(optionalTotal))
        .body().toString()).isEqualTo("{\"is_compatible\":true}");
  }

  @Test
  void compatibilityConfigCanBeReadAndChanged() {
    assertThat(http.get("/config").body().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    String subject = subject();
    Reply none = http.get("/config/" + encode(subject));
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.errorCode()).isEqualTo(40408);
    assertThat(http.get("/config/" + encode(subject) + "?defaultToGlobal=true").body().get("compatibilityLevel")
        .asText()).isEqualTo("BACKWARD");

    Reply put = http.put("/config/" + encode(subject), "{\"compatibility\":\"NONE\"}");
    assertThat(put.body().toString()).isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(http.get("/config/" + encode(subject)).body().toString()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    String name = uniqueName();
    register(subject, schema(name, ""));
    register(subject, schema(name, ",{\"name\":\"total\",\"type\":\"long\"}"));

    Reply invalid = http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42203);
    try {
      assertThat(http.put("/config", "{\"compatibility\":\"FULL_TRANSITIVE\"}").status()).isEqualTo(200);
      assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
    } finally {
      assertThat(http.put("/config", "{\"compatibility\":\"BACKWARD\"}").status()).isEqualTo(200);
    }
  }

  @Test
  void missingThingsAndBadRequestsGetConfluentErrorCodes() {
    String subject = subject();
    register(subject, schema(uniqueName(), ""));

    assertError(http.get("/schemas/ids/" + Integer.MAX_VALUE), 404, 40403);
    assertError(http.get("/subjects/" + encode(subject()) + "/versions"), 404, 40401);
    assertError(http.get("/subjects/" + encode(subject) + "/versions/9"), 404, 40402);
    assertError(http.get("/subjects/" + encode(subject) + "/versions/0"), 422, 42202);
    assertError(http.post("/subjects/" + encode(subject), schemaBody(schema(uniqueName(), ""))), 404, 40403);
    assertError(http.post("/subjects/" + encode(subject) + "/versions",
        "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"), 422, 42201);
    assertError(http.post("/subjects/" + encode(subject) + "/versions", schemaBody("{\"type\":\"record\"}")), 422, 42201);
    assertError(http.post("/subjects/" + encode(subject) + "/versions", "{not json"), 400, 400);
    assertError(http.send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody("\"string\""), "text/plain"),
        415, 415);
    assertError(http.get("/no/such/path"), 404, 404);
    assertError(http.delete("/subjects"), 405, 405);
  }

  @Test
  void plainJsonAndOctetStreamBodiesAreAccepted() {
    String subject = subject();
    String schema = schema(uniqueName(), "");
    Reply json = http.send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema), "application/json");
    Reply octets = http.send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
        "application/octet-stream");
    assertThat(json.status()).isEqualTo(200);
    assertThat(octets.body()).isEqualTo(json.body());
  }

  @Test
  void deletedSubjectsDisappearAndKeepTheirIds() {
    String subject = subject();
    String schema = schema(uniqueName(), "");
    int id = register(subject, schema);

    assertThat(http.delete("/subjects/" + encode(subject)).body().toString()).isEqualTo("[1]");
    assertError(http.get("/subjects/" + encode(subject) + "/versions"), 404, 40401);
    assertThat(http.get("/subjects").body()).extracting(JsonNode::asText).doesNotContain(subject);
    assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
    assertThat(register(subject, schema)).isEqualTo(id);
    assertThat(http.get("/subjects/" + encode(subject) + "/versions").body().toString()).isEqualTo("[2]");
  }

  @Test
  void theSchemasTopicIsASinglePartitionCompactedTopicWithConfluentRecords() throws Exception {
    String subject = subject();
    int id = register(subject, schema(uniqueName(), ""));
    try (Admin admin = cluster.admin()) {
      TopicDescription description = admin.describeTopics(Set.of("_schemas")).allTopicNames()
          .get(30, TimeUnit.SECONDS).get("_schemas");
      assertThat(description.partitions()).hasSize(1);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
      assertThat(admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
          .get("cleanup.policy").value()).isEqualTo("compact");
    }
    String expectedKey = "{\"keytype\":\"SCHEMA\",\"subject\":\"" + subject + "\",\"version\":1,\"magic\":1}";
    List<ConsumerRecord<byte[], byte[]>> records = cluster.read("_schemas", new ByteArrayDeserializer(),
        new ByteArrayDeserializer(), Integer.MAX_VALUE, Duration.ofSeconds(2));
    ConsumerRecord<byte[], byte[]> ours = records.stream()
        .filter(r -> new String(r.key(), UTF_8).equals(expectedKey)).findFirst().orElseThrow();
    JsonNode value = RegistryHttp.JSON.readTree(ours.value());
    assertThat(value.get("subject").asText()).isEqualTo(subject);
    assertThat(value.get("id").asInt()).isEqualTo(id);
    assertThat(value.get("deleted").asBoolean()).isFalse();
  }

  @Test
  void aRestartedRegistryOnTheSameTopicKeepsItsIds() {
    String topic = "_schemas-" + UUID.randomUUID();
    String subject = subject();
    String first = schema(uniqueName(), "");
    String second = schema(uniqueName(), "");
    int firstId;
    int secondId;
    try (EmbeddedSchemaRegistry before = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0, topic, TIMEOUT)) {
      RegistryHttp client = new RegistryHttp(before.url());
      firstId = client.post("/subjects/" + encode(subject) + "/versions", schemaBody(first)).body().get("id").asInt();
      secondId = client.post("/subjects/" + encode(subject()) + "/versions", schemaBody(second)).body().get("id").asInt();
      assertThat(client.put("/config/" + encode(subject), "{\"compatibility\":\"FORWARD\"}").status()).isEqualTo(200);
    }
    try (EmbeddedSchemaRegistry after = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0, topic, TIMEOUT)) {
      RegistryHttp client = new RegistryHttp(after.url());
      assertThat(new Schema.Parser().parse(client.get("/schemas/ids/" + firstId).body().get("schema").asText()))
          .isEqualTo(new Schema.Parser().parse(first));
      assertThat(client.post("/subjects/" + encode(subject) + "/versions", schemaBody(first)).body().get("id").asInt())
          .isEqualTo(firstId);
      assertThat(client.get("/config/" + encode(subject)).body().get("compatibilityLevel").asText()).isEqualTo("FORWARD");
      int third = client.post("/subjects/" + encode(subject()) + "/versions", schemaBody(schema(uniqueName(), "")))
          .body().get("id").asInt();
      assertThat(third).isEqualTo(Math.max(firstId, secondId) + 1);
    }
  }

  private static void assertError(Reply reply, int status, int errorCode) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
    assertThat(reply.errorCode()).as(reply.body().toString()).isEqualTo(errorCode);
    assertThat(reply.body().get("message").asText()).isNotEmpty();
  }
}
