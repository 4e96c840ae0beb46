package dev.tracepipe.launcher;

import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.tracestore.TraceStoreStage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracepipe run}: an embedded Kafka broker and schema registry (unless external ones are named) and every stage
 * in one process, stopped cleanly on Ctrl-C or SIGTERM. A second start reuses the data directory.
 */
final class AllInOne implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllInOne.class);
  /** Where Kafka and the stages keep data when --data-dir is not given. */
  static final String DATA_DIR = "data.dir";
  private final StageRunner runner;
  private final String bootstrapServers;
  private final String registryUrl;

  private AllInOne(StageRunner runner, String bootstrapServers, String registryUrl) {
    this.runner = runner;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  /** Where Zipkin Lens, served by the trace store, answers. */
  String uiUrl() {
    return runner.context().http().baseUrl() + TraceStoreStage.UI_PATH;
  }

  /** Starts everything; {@code overrides} replace configuration values (tests use it for ports and gaps). */
  static AllInOne start(LocalOptions options, Map<String, String> overrides) throws Exception {
    TracepipeConfig config = options.connection.config().with(overrides);
    Path dataDir = (options.broker.dataDir != null ? options.broker.dataDir
        : Path.of(config.string(DATA_DIR, "data"))).toAbsolutePath();
    EmbeddedKafka kafka = null;
    EmbeddedSchemaRegistry registry = null;
    try {
      String bootstrap = options.connection.bootstrapServers;
      if (bootstrap == null) {
        kafka = EmbeddedKafka.start(dataDir, "localhost", options.broker.kafkaPort, options.broker.controllerPort);
        bootstrap = kafka.bootstrapServers();
      }
      String registryUrl = options.connection.schemaRegistryUrl;
      if (registryUrl == null) {
        // An external cluster gets the configured security settings; the embedded broker listens in plain text.
        Map<String, Object> kafkaClient = kafka != null ? Map.of(TracepipeConfig.BOOTSTRAP_SERVERS, bootstrap)
            : config.with(Map.of(TracepipeConfig.BOOTSTRAP_SERVERS, bootstrap)).kafkaClientProperties();
        HttpSettings registryHttp = HttpSettings.from(config, EmbeddedSchemaRegistry.HTTP_PREFIX);
        registry = EmbeddedSchemaRegistry.start(kafkaClient, options.broker.registryPort,
            EmbeddedSchemaRegistry.DEFAULT_TOPIC, EmbeddedSchemaRegistry.DEFAULT_TIMEOUT, registryHttp);
        registryUrl = registry.url();
        overrides = RegistryClientSettings.forEmbedded(config, registryHttp, overrides);
      }
      Map<String, String> resolved = new HashMap<>();
      resolved.put(TracepipeConfig.BOOTSTRAP_SERVERS, bootstrap);
      resolved.put(TracepipeConfig.SCHEMA_REGISTRY_URL, registryUrl);
      resolved.put(TracepipeConfig.STATE_DIR, dataDir.resolve("state").toString());
      if (options.httpPort != null) {
        resolved.put(TracepipeConfig.HTTP_PORT, String.valueOf(options.httpPort));
      }
      resolved.putAll(overrides);
      StageRunner runner = new StageRunner(config.with(resolved));
      if (kafka != null) {
        runner.closeLast(kafka);
      }
      if (registry != null) {
        runner.closeLast(registry);
      }
      runner.createTopics();
      for (Stage stage : Stages.ALL.values()) {
        runner.start(stage);
      }
      LOG.info("all stages started");
      return new AllInOne(runner, bootstrap, registryUrl);
    } catch (Exception | Error e) {
      if (registry != null) {
        registry.close();
      }
      if (kafka != null) {
        kafka.close();
      }
      throw e;
    }
  }

  StageRunner runner() {
    return runner;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  String registryUrl() {
    return registryUrl;
  }

  @Override
  public void close() {
    runner.close();
  }
}
