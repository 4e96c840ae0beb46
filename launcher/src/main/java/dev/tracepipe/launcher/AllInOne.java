package dev.tracepipe.launcher;

import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracepipe run}: an embedded Kafka broker and schema registry (unless external ones are named) and every stage
 * in one process, stopped cleanly on Ctrl-C or SIGTERM. A second start reuses the data directory.
 */
final class AllInOne implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllInOne.class);
  private static final String HELP = """
      usage: tracepipe run [--data-dir DIR] [--kafka-port 9092] [--controller-port 9093] [--registry-port 8081] [--http-port 8080]
                           [--bootstrap-servers HOST:PORT] [--schema-registry-url URL] [--config FILE]

      Starts a Kafka broker (KRaft, data in DIR/kafka) on localhost:9092 and a schema registry on localhost:8081,
      unless --bootstrap-servers or --schema-registry-url name external ones, then every stage of the pipeline.
      Stages serve their HTTP APIs, /health and /metrics on localhost:8080; the span receivers listen on 4318
      (OTLP/HTTP) and 9411 (Zipkin). Ctrl-C or SIGTERM stops everything.
      """;

  private final StageRunner runner;
  private final String bootstrapServers;
  private final String registryUrl;

  private AllInOne(StageRunner runner, String bootstrapServers, String registryUrl) {
    this.runner = runner;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  static int main(String[] argv) throws Exception {
    if (Args.wantsHelp(argv)) {
      System.out.print(HELP);
      return 0;
    }
    Set<String> options = new HashSet<>(Tracepipe.CONNECTION_OPTIONS);
    options.addAll(Set.of("data-dir", "kafka-port", "controller-port", "registry-port", "http-port"));
    Args args = Args.parse(argv, 1, options, Set.of());
    try (AllInOne all = start(args, Map.of())) {
      System.out.printf("tracepipe is running: Kafka %s, schema registry %s, HTTP %s (Ctrl-C stops)%n",
          all.bootstrapServers, all.registryUrl, all.runner.context().http().baseUrl());
      all.runner.awaitShutdown();
    }
    return 0;
  }

  /** Starts everything; {@code overrides} replace configuration values (tests use it for ports and gaps). */
  static AllInOne start(Args args, Map<String, String> overrides) throws Exception {
    TracepipeConfig config = Tracepipe.config(args).with(overrides);
    Path dataDir = Path.of(args.option("data-dir").orElse(config.string("data.dir", "data"))).toAbsolutePath();
    EmbeddedKafka kafka = null;
    EmbeddedSchemaRegistry registry = null;
    try {
      String bootstrap = args.option("bootstrap-servers").orElse(null);
      if (bootstrap == null) {
        kafka = EmbeddedKafka.start(dataDir, "localhost", port(args, "kafka-port", 9092), port(args, "controller-port", 9093));
        bootstrap = kafka.bootstrapServers();
      }
      String registryUrl = args.option("schema-registry-url").orElse(null);
      if (registryUrl == null) {
        HttpSettings registryHttp = HttpSettings.from(config, EmbeddedSchemaRegistry.HTTP_PREFIX);
        registry = EmbeddedSchemaRegistry.start(bootstrap, port(args, "registry-port", 8081),
            EmbeddedSchemaRegistry.DEFAULT_TOPIC, EmbeddedSchemaRegistry.DEFAULT_TIMEOUT, registryHttp);
        registryUrl = registry.url();
        overrides = RegistryClientSettings.forEmbedded(config, registryHttp, overrides);
      }
      Map<String, String> resolved = new HashMap<>();
      resolved.put(TracepipeConfig.BOOTSTRAP_SERVERS, bootstrap);
      resolved.put(TracepipeConfig.SCHEMA_REGISTRY_URL, registryUrl);
      resolved.put(TracepipeConfig.STATE_DIR, dataDir.resolve("state").toString());
      args.option("http-port").ifPresent(p -> resolved.put(TracepipeConfig.HTTP_PORT, p));
      resolved.putAll(overrides);
      StageRunner runner = new StageRunner(config.with(resolved));
      if (kafka != null) {
        runner.closeLast(kafka);
      }
      if (registry != null) {
        runner.closeLast(registry);
      }
      runner.createTopics();
      for (var stage : Stages.ALL.entrySet()) {
        runner.start(stage.getKey(), stage.getValue());
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

  private static int port(Args args, String name, int fallback) {
    return Integer.parseInt(args.option(name).orElse(String.valueOf(fallback)));
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
