package dev.tracepipe.launcher;

import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tracepipe broker}: only the embedded Kafka broker and schema registry, for stages and benchmarks that run in
 * processes of their own. Stops cleanly on Ctrl-C or SIGTERM.
 */
final class BrokerCommand {
  /** Printed on stdout once both serve, so that a parent process knows when to go on. */
  static final String READY = "tracepipe broker ready:";
  private static final String HELP = """
      usage: tracepipe broker [--data-dir DIR] [--kafka-port 9092] [--controller-port 9093] [--registry-port 8081]

      Starts a Kafka broker (KRaft, data in DIR/kafka, default ./data) and a schema registry, and nothing else.
      Ctrl-C or SIGTERM stops both.
      """;

  private BrokerCommand() {}

  static int main(String[] argv) throws Exception {
    if (Args.wantsHelp(argv)) {
      System.out.print(HELP);
      return 0;
    }
    Args args = Args.parse(argv, 1, Set.of("data-dir", "kafka-port", "controller-port", "registry-port"), Set.of());
    Path dataDir = Path.of(args.option("data-dir").orElse("data")).toAbsolutePath();
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "localhost", port(args, "kafka-port", 9092),
        port(args, "controller-port", 9093));
    EmbeddedSchemaRegistry registry;
    try {
      registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), port(args, "registry-port", 8081));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      registry.close();
      kafka.close();
      stopped.countDown();
    }, "tracepipe-broker-shutdown"));
    System.out.println(READY + " Kafka " + kafka.bootstrapServers() + ", schema registry " + registry.url());
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static int port(Args args, String name, int fallback) {
    return Integer.parseInt(args.option(name).orElse(String.valueOf(fallback)));
  }
}
