package dev.tracepipe.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.testkit.KafkaTestCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker with exactly-once, live aggregates that are never written out early reach the changelog and the
 * queries on other threads: only Kafka Streams' flush before each commit can have put them there.
 */
class LiveWindowStoreIT {

  static final String STORE = "sums";
  static final long WINDOW = 60_000;
  static KafkaTestCluster kafka;

  @TempDir Path stateDir;

  @BeforeAll
  static void startKafka() {
    kafka = KafkaTestCluster.start();
    kafka.createTopics(new NewTopic("numbers", 2, (short) 1));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void committedSumsReachTheChangelogAndQueries() {
    Topology topology = new Topology();
    topology.addSource("numbers", Serdes.String().deserializer(), Serdes.Long().deserializer(), "numbers");
    topology.addProcessor("sum", Sum::new, "numbers");
    topology.addStateStore(new LiveWindowStoreBuilder<>(Stores.persistentWindowStore(STORE, Duration.ofHours(1),
        Duration.ofMillis(WINDOW), false), Serdes.String(), Serdes.Long(), Integer.MAX_VALUE, Duration.ofDays(1))
        .withCachingEnabled(), "sum");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "live-window-store-it");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    Map<String, Long> expected = new HashMap<>();
    try (KafkaStreams streams = new KafkaStreams(topology, props)) {
      streams.start();
      // Not before: a consumer of the changelog would have the broker create it with the wrong partition count.
      await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
      long time = Instant.now().toEpochMilli();
      try (KafkaProducer<String, Long> producer = kafka.producer(Serdes.String().serializer(),
          Serdes.Long().serializer())) {
        for (long i = 1; i <= 500; i++) {
          String key = "k" + i % 7;
          producer.send(new ProducerRecord<>("numbers", null, time, key, i));
          expected.merge(key, i, Long::sum);
        }
      }
      long start = time - time % WINDOW;
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(changelogSums()).isEqualTo(expected));
      ReadOnlyWindowStore<String, Long> queried = streams.store(StoreQueryParameters.fromNameAndType(STORE,
          QueryableStoreTypes.windowStore()));
      expected.forEach((key, sum) -> assertThat(queried.fetch(key, start)).as(key).isEqualTo(sum));
    }
  }

  /** The latest committed sum per key in the store's changelog: window keys are the key, the start and a sequence. */
  private Map<String, Long> changelogSums() {
    Map<String, Long> sums = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer())) {
      consumer.subscribe(List.of("live-window-store-it-" + STORE + "-changelog"));
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String key = new String(r.key(), 0, r.key().length - Long.BYTES - Integer.BYTES,
              java.nio.charset.StandardCharsets.UTF_8);
          sums.put(key, ByteBuffer.wrap(r.value()).getLong());
        }
      }
    }
    return sums;
  }

  /** Adds each number to its key's window. */
  static final class Sum implements Processor<String, Long, Void, Void> {
    private WindowStore<String, Long> sums;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      sums = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, Long> record) {
      long start = record.timestamp() - record.timestamp() % WINDOW;
      Long current = sums.fetch(record.key(), start);
      sums.put(record.key(), (current == null ? 0 : current) + record.value(), start);
    }
  }
}
