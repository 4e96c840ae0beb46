package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.TopicSpec;
import dev.tracepipe.schemas.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** No Docker engine runs in the build, so this checks that docker-compose.yml agrees with the code it deploys. */
class DockerComposeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static Map<String, Map<String, Object>> services;
  private static Set<String> knownEnvNames;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    services = (Map<String, Map<String, Object>>) compose.get("services");
    knownEnvNames = configurationKeysReadByTheCode();
  }

  @Test
  void everyStageIsItsOwnServiceRunningThatStage() {
    assertThat(services).containsKeys("kafka", "schema-registry", "topics");
    for (String stage : Stages.ALL.keySet()) {
      assertThat(services).as("service for stage %s", stage).containsKey(stage);
      assertThat(services.get(stage).get("command")).isEqualTo(List.of("stage", stage));
      assertThat(services.get(stage).get("build")).isEqualTo(".");
    }
  }

  @Test
  void stageEnvironmentNamesConfigurationTheCodeReads() {
    for (String stage : Stages.ALL.keySet()) {
      Map<String, Object> env = environment(stage);
      assertThat(env.keySet()).as("environment of %s", stage).allSatisfy(name ->
          assertThat(knownEnvNames).as("%s is not a configuration key the code reads", name).contains(name));
      assertThat(env.get("TRACEPIPE_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
      assertThat(env.get("TRACEPIPE_SCHEMA_REGISTRY_URL")).isEqualTo("http://schema-registry:8081");
      String httpPort = String.valueOf(env.get("TRACEPIPE_HTTP_PORT"));
      assertThat(healthcheck(stage)).contains("http://localhost:" + httpPort + "/health");
      assertThat(ports(stage)).anyMatch(p -> p.endsWith(":" + httpPort));
    }
  }

  @Test
  void kafkaAndRegistryListenWhereTheStagesLook() {
    assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS").toString()).contains("PLAINTEXT://kafka:9092");
    assertThat(environment("schema-registry").get("SCHEMA_REGISTRY_LISTENERS")).isEqualTo("http://0.0.0.0:8081");
    assertThat(environment("schema-registry").get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"))
        .isEqualTo("PLAINTEXT://kafka:9092");
  }

  @Test
  void receiversKeepTheirStandardPorts() {
    Map<String, Object> env = environment("ingest");
    assertThat(env.get("TRACEPIPE_INGEST_OTLP_PORT")).isEqualTo("4318");
    assertThat(env.get("TRACEPIPE_INGEST_ZIPKIN_PORT")).isEqualTo("9411");
    assertThat(ports("ingest")).contains("4318:4318", "9411:9411");
    assertThat(env.get("TRACEPIPE_INGEST_OTLP_GRPC_PORT")).isEqualTo("4317");
    assertThat(ports("ingest")).contains("4317:4317");
  }

  @Test
  void theSetupIsSecuredReceiversOnTlsEveryServerAskingForTheTokenApisOnLoopback() {
    assertThat(environment("ingest").get("TRACEPIPE_INGEST_HTTP_TLS_KEY_STORE")).isEqualTo(
        "/etc/tracepipe/tls/server.p12");
    assertThat(environment("ingest")).containsKey("TRACEPIPE_INGEST_HTTP_TLS_KEY_STORE_PASSWORD");
    for (String stage : Stages.ALL.keySet()) {
      assertThat(String.valueOf(environment(stage).get("TRACEPIPE_HTTP_AUTH_TOKENS")))
          .as("%s asks for the token", stage).contains("TRACEPIPE_API_TOKEN:?");
      String httpPort = String.valueOf(environment(stage).get("TRACEPIPE_HTTP_PORT"));
      assertThat(ports(stage)).filteredOn(p -> p.endsWith(":" + httpPort))
          .as("%s API published on loopback only", stage).allMatch(p -> p.startsWith("127.0.0.1:"));
    }
    assertThat(commandOf("tls").get(0)).contains("keytool -genkeypair");
  }

  @Test
  void theTopicContainerCreatesEveryCatalogueTopicAsDeclared() {
    String script = String.join("\n", commandOf("topics"));
    for (TopicSpec<?, ?> topic : Topics.ALL) {
      Matcher m = Pattern.compile("--topic " + Pattern.quote(topic.name()) + " (.*?)(?:&&|$)", Pattern.MULTILINE)
          .matcher(script);
      assertThat(m.find()).as("topic %s is created", topic.name()).isTrue();
      String options = m.group(1);
      assertThat(options).contains("--partitions " + topic.partitions() + " ");
      topic.topicConfig().forEach((key, value) -> assertThat(options).contains("--config " + key + "=" + value));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(String service) {
    return (Map<String, Object>) services.get(service).get("environment");
  }

  @SuppressWarnings("unchecked")
  private static List<String> ports(String service) {
    return (List<String>) services.get(service).get("ports");
  }

  @SuppressWarnings("unchecked")
  private static String healthcheck(String service) {
    return String.join(" ", (List<String>) ((Map<String, Object>) services.get(service).get("healthcheck")).get("test"));
  }

  @SuppressWarnings("unchecked")
  private static List<String> commandOf(String service) {
    return (List<String>) services.get(service).get("command");
  }

  /** The environment names of every declared configuration key and of the built-in defaults. */
  private static Set<String> configurationKeysReadByTheCode() {
    Set<String> names = new HashSet<>();
    Configuration.all().forEach(setting -> names.add(TracepipeConfig.envName(setting.key())));
    TracepipeConfig.of(Map.of()).asMap().keySet().forEach(k -> names.add(TracepipeConfig.envName(k)));
    return names;
  }
}
