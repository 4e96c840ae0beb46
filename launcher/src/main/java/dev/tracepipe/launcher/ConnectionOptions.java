package dev.tracepipe.launcher;

import dev.tracepipe.platform.TracepipeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that talks to Kafka takes: a configuration file and the broker and registry to use. */
final class ConnectionOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (properties)")
  Path config;
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "an external Kafka")
  String bootstrapServers;
  @Option(names = "--schema-registry-url", paramLabel = "URL", description = "an external schema registry")
  String schemaRegistryUrl;

  /** Configuration from defaults, file, environment and these options. */
  TracepipeConfig config() {
    TracepipeConfig loaded = TracepipeConfig.load(config, System.getenv());
    Map<String, String> cli = new HashMap<>();
    if (bootstrapServers != null) {
      cli.put(TracepipeConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      cli.put(TracepipeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    }
    return loaded.with(cli);
  }
}
