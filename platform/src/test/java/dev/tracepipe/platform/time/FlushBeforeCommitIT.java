package dev.tracepipe.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.testkit.KafkaTestCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * On a real broker, what holds state only until Kafka Streams flushes before a commit: a {@link LiveWindowStore} whose
 * aggregates are never written out early still reaches its changelog and queries, and a {@link WindowCombiner} puts
 * every value in exactly one committed fold under exactly-once and forwards its folds within seconds when commits
 * are a minute apart.
 */
class FlushBeforeCommitIT {

  static final long WINDOW = 60_000;
  static final String STORE = "sums";
  static KafkaTestCluster kafka;

  @TempDir Path stateDir;

  @BeforeAll
  static void startKafka() {
    kafka = KafkaTestCluster.start();
    kafka.createTopics(new NewTopic("numbers", 2, (short) 1), new NewTopic("folds", 1, (short) 1),
        new NewTopic("numbers-2", 1, (short) 1), new NewTopic("folds-2", 1, (short) 1),
        new NewTopic("sums-input", 2, (short) 1));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  static final WindowCombiner.Fold<Long, Long> SUM = new WindowCombiner.Fold<>() {
    @Override
    public Long initial() {
      return 0L;
    }

    @Override
    public Long add(Long value, Long fold) {
      return fold + value;
    }

    @Override
    public boolean folds(Long value) {
      return value > 0;
    }
  };

  @Test
  void everyValueIsInExactlyOneCommittedFold() {
    Properties props = props("window-combiner-it", StreamsConfig.EXACTLY_ONCE_V2);
    Map<String, Long> expected = new HashMap<>();
    int values = 2_000;
    long time = Instant.now().toEpochMilli();
    long latest = time + 50;
    try (KafkaStreams streams = new KafkaStreams(topology("numbers", "folds"), props)) {
      streams.start();
      try (KafkaProducer<String, Long> producer = kafka.producer(Serdes.String().serializer(),
          Serdes.Long().serializer())) {
        for (long i = 1; i <= values; i++) {
          String key = "k" + i % 5;
          long value = i % 100 == 0 ? -1 : i;
          producer.send(new ProducerRecord<>("numbers", null, i == values ? latest : time, key, value));
          expected.merge(key, value, Long::sum);
        }
      }
      List<ConsumerRecord<String, Long>> all = awaitSums("folds", expected, values);
      assertThat(all.stream().filter(r -> r.value() == -1)).as("negative values alone").hasSize(values / 100);
      assertThat(all.size()).as("folds of positive values, fewer than the values").isLessThan(values / 2);
      assertThat(all.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow())
          .as("a fold is timed at its latest value").isEqualTo(latest);
    }
  }

  /** Commits a minute apart: the folds still go out within seconds, on the combiner's own wall-clock schedule. */
  @Test
  void foldsDoNotWaitForRareCommits() {
    Properties props = props("window-combiner-rare-commits-it", StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 60_000);
    try (KafkaStreams streams = new KafkaStreams(topology("numbers-2", "folds-2"), props)) {
      streams.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
      try (KafkaProducer<String, Long> producer = kafka.producer(Serdes.String().serializer(),
          Serdes.Long().serializer())) {
        for (long i = 1; i <= 100; i++) {
          producer.send(new ProducerRecord<>("numbers-2", "k", i));
        }
      }
      long start = System.nanoTime();
      awaitSums("folds-2", Map.of("k", 5_050L), 100);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void committedSumsReachTheChangelogAndQueries() {
    Topology topology = new Topology();
    topology.addSource("numbers", Serdes.String().deserializer(), Serdes.Long().deserializer(), "sums-input");
    topology.addProcessor("sum", Sum::new, "numbers");
    topology.addStateStore(new LiveWindowStoreBuilder<>(Stores.persistentWindowStore(STORE, Duration.ofHours(1),
        Duration.ofMillis(WINDOW), false), Serdes.String(), Serdes.Long(), Integer.MAX_VALUE, Duration.ofDays(1))
        .withCachingEnabled(), "sum");
    Properties props = props("live-window-store-it", StreamsConfig.EXACTLY_ONCE_V2);
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
          producer.send(new ProducerRecord<>("sums-input", null, time, key, i));
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
              StandardCharsets.UTF_8);
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

  private Topology topology(String input, String output) {
    Topology topology = new Topology();
    topology.addSource("numbers", Serdes.String().deserializer(), Serdes.Long().deserializer(), input);
    topology.addProcessor("fold", () -> new WindowCombiner<>("sum-hook", Duration.ofMillis(WINDOW), SUM, 1_000),
        "numbers");
    topology.addStateStore(WindowCombiner.hook("sum-hook"), "fold");
    topology.addSink("folds", output, Serdes.String().serializer(), Serdes.Long().serializer(), "fold");
    return topology;
  }

  private Properties props(String applicationId, String guarantee) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(applicationId).toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    return props;
  }

  /** Every fold of the output so far, once they sum to what was sent. */
  private List<ConsumerRecord<String, Long>> awaitSums(String topic, Map<String, Long> expected, int atMost) {
    List<ConsumerRecord<String, Long>> all = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      all.clear();
      all.addAll(kafka.read(topic, Serdes.String().deserializer(), Serdes.Long().deserializer(), atMost,
          Duration.ofSeconds(3)));
      Map<String, Long> sums = new HashMap<>();
      all.forEach(r -> sums.merge(r.key(), r.value(), Long::sum));
      assertThat(sums).isEqualTo(expected);
    });
    return all;
  }
}
