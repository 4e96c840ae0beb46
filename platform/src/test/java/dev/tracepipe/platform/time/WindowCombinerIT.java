package dev.tracepipe.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.testkit.KafkaTestCluster;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker with exactly-once, a combiner's folds reach its output only through Kafka Streams' flush before
 * each commit: every value is in exactly one committed fold, negative values travel alone, and there are fewer folds
 * than values.
 */
class WindowCombinerIT {

  static final long WINDOW = 60_000;
  static KafkaTestCluster kafka;

  @TempDir Path stateDir;

  @BeforeAll
  static void startKafka() {
    kafka = KafkaTestCluster.start();
    kafka.createTopics(new NewTopic("numbers", 2, (short) 1), new NewTopic("folds", 1, (short) 1));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void everyValueIsInExactlyOneCommittedFold() {
    WindowCombiner.Fold<Long, Long> sum = new WindowCombiner.Fold<>() {
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
    Topology topology = new Topology();
    topology.addSource("numbers", Serdes.String().deserializer(), Serdes.Long().deserializer(), "numbers");
    topology.addProcessor("fold", () -> new WindowCombiner<>("sum-hook", Duration.ofMillis(WINDOW), sum, 1_000),
        "numbers");
    topology.addStateStore(WindowCombiner.hook("sum-hook"), "fold");
    topology.addSink("folds", "folds", Serdes.String().serializer(), Serdes.Long().serializer(), "fold");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "window-combiner-it");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    Map<String, Long> expected = new HashMap<>();
    int values = 2_000;
    long time = Instant.now().toEpochMilli();
    long latest = time + 50;
    try (KafkaStreams streams = new KafkaStreams(topology, props)) {
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
      List<ConsumerRecord<String, Long>> all = new ArrayList<>();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        all.clear();
        all.addAll(kafka.read("folds", Serdes.String().deserializer(), Serdes.Long().deserializer(), values,
            Duration.ofSeconds(3)));
        Map<String, Long> sums = new HashMap<>();
        all.forEach(r -> sums.merge(r.key(), r.value(), Long::sum));
        assertThat(sums).isEqualTo(expected);
      });
      assertThat(all.stream().filter(r -> r.value() == -1)).as("negative values alone").hasSize(values / 100);
      assertThat(all.size()).as("folds of positive values, fewer than the values").isLessThan(values / 2);
      assertThat(all.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow())
          .as("a fold is timed at its latest value").isEqualTo(latest);
    }
  }
}
