package dev.tracepipe.launcher;

import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tracepipe broker}: only the embedded Kafka broker and schema registry, for stages and benchmarks that run in
 * processes of their own. Stops cleanly on Ctrl-C or SIGTERM.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Only the embedded Kafka broker and schema registry, for stages and benchmarks that run in",
        "processes of their own. Kafka keeps its data in DIR/kafka (default ./data). Ctrl-C or SIGTERM stops both.",
        ""})
final class BrokerCommand implements Callable<Integer> {
  /** Printed on stdout once both serve, so that a parent process knows when to go on. */
  static final String READY = "tracepipe broker ready:";
  @Mixin
  BrokerOptions broker;

  @Override
  public Integer call() throws Exception {
    Path dataDir = (broker.dataDir != null ? broker.dataDir : Path.of("data")).toAbsolutePath();
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "localhost", broker.kafkaPort, broker.controllerPort);
    EmbeddedSchemaRegistry registry;
    try {
      registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), broker.registryPort);
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
}
