package dev.tracepipe.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded broker and registry keep their data and which ports they listen on. */
final class BrokerOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", description = "where Kafka (DIR/kafka) and the stages keep data")
  Path dataDir;
  @Option(names = "--kafka-port", paramLabel = "PORT", description = "(default ${DEFAULT-VALUE})")
  int kafkaPort = 9092;
  @Option(names = "--controller-port", paramLabel = "PORT",
      description = "(default ${DEFAULT-VALUE})")
  int controllerPort = 9093;
  @Option(names = "--registry-port", paramLabel = "PORT",
      description = "(default ${DEFAULT-VALUE})")
  int registryPort = 8081;
}
