package dev.tracepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.schemas.serde.SchemaRegistryClient;
import dev.tracepipe.schemas.serde.SchemaRegistryClients;
import dev.tracepipe.testkit.KafkaTestCluster;
import dev.tracepipe.testkit.SelfSignedKeyStore;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded registry over TLS with basic authentication, used by the serdes' client as Confluent's is configured. */
class SecuredRegistryIT {
  private static KafkaTestCluster cluster;
  private static EmbeddedSchemaRegistry registry;
  private static SelfSignedKeyStore store;

  @BeforeAll
  static void start() throws Exception {
    cluster = KafkaTestCluster.start();
    store = SelfSignedKeyStore.create(Files.createTempDirectory("registry-tls"));
    HttpSettings http = HttpSettings.DEFAULTS.withTls(store.path(), store.password())
        .withAuth(List.of(), Map.of("serdes", "registry-pw"));
    registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0, EmbeddedSchemaRegistry.DEFAULT_TOPIC,
        EmbeddedSchemaRegistry.DEFAULT_TIMEOUT, http);
  }

  @AfterAll
  static void stop() {
    if (registry != null) registry.close();
    if (cluster != null) cluster.close();
  }

  @Test
  void clientsWithTheUserInfoRegisterAndOthersAreRefused() {
    assertThat(registry.url()).startsWith("https://");
    Schema schema = SchemaBuilder.record("Secured").namespace("dev.tracepipe.test").fields()
        .requiredString("name").endRecord();
    SchemaRegistryClient authorised = SchemaRegistryClients.fromConfig(config("serdes:registry-pw"));
    int id = authorised.register("secured-value", schema);
    assertThat(authorised.schemaById(id)).isEqualTo(schema);
    SchemaRegistryClient anonymous = SchemaRegistryClients.fromConfig(config(null));
    assertThatThrownBy(() -> anonymous.register("secured-value", schema)).hasMessageContaining("401");
    SchemaRegistryClient wrong = SchemaRegistryClients.fromConfig(config("serdes:nope"));
    assertThatThrownBy(() -> wrong.schemaById(id)).hasMessageContaining("401");
  }

  private static Map<String, Object> config(String userInfo) {
    Map<String, Object> config = new HashMap<>(Map.of(
        SchemaRegistryClients.URL, registry.url().replace("127.0.0.1", "localhost"),
        SchemaRegistryClients.TRUSTSTORE_LOCATION, store.path().toString(),
        SchemaRegistryClients.TRUSTSTORE_PASSWORD, store.password()));
    if (userInfo != null) config.put(SchemaRegistryClients.BASIC_AUTH_USER_INFO, userInfo);
    return config;
  }
}
