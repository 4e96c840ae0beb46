package dev.tracepipe.bench;

import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.util.concurrent.CountDownLatch;

/** A broker and schema registry in a process of their own, for tests of the bench's process machinery. */
final class TestBroker {
  /** Printed with the bootstrap servers and the registry URL once both serve. */
  static final String READY = "test broker ready:";

  private TestBroker() {}

  public static void main(String[] args) throws InterruptedException {
    KafkaTestCluster kafka = KafkaTestCluster.start();
    EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      registry.close();
      kafka.close();
      stopped.countDown();
    }, "test-broker-shutdown"));
    System.out.println(READY + " " + kafka.bootstrapServers() + " " + registry.url());
    System.out.flush();
    stopped.await();
  }
}
