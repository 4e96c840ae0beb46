package dev.tracepipe.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What Kafka alone does on this machine and broker with records like ours: one producer thread sending as fast as it
 * can (acks=all, idempotent, lz4, as the generator's producer), then one consumer reading everything back
 * (read_committed, as the stages read). Every pipeline figure is compared with this.
 */
final class KafkaCeiling {
  static final int PARTITIONS = 4;

  /** One record's key and value. */
  record Payload(byte[] key, byte[] value) {}

  record Result(double averageRecordBytes, long records, double produceSeconds, double consumeSeconds) {
    double producePerSecond() {
      return records / produceSeconds;
    }

    double consumePerSecond() {
      return records / consumeSeconds;
    }

    /** The lower of the two: the rate a stage that reads and writes such records could reach at best. */
    double perSecond() {
      return Math.min(producePerSecond(), consumePerSecond());
    }
  }

  private KafkaCeiling() {}

  static Result measure(String bootstrapServers, List<Payload> payloads, Duration produceFor) throws Exception {
    String topic = "tracepipe-bench-ceiling-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    }
    double bytes = payloads.stream().mapToLong(p -> p.key().length + p.value().length).sum() / (double) payloads.size();
    long sent = 0;
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstFailure = new AtomicReference<>();
    Callback callback = (metadata, error) -> {
      if (error == null) {
        acknowledged.incrementAndGet();
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, error);
      }
    };
    long start = System.nanoTime();
    long end = start + produceFor.toNanos();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrapServers),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      while ((sent & 1023) != 0 || System.nanoTime() < end) {
        Payload p = payloads.get((int) (sent % payloads.size()));
        producer.send(new ProducerRecord<>(topic, p.key(), p.value()), callback);
        sent++;
      }
      producer.flush();
    }
    double produceSeconds = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      // Only acknowledged records count; a failed send may still have been written, so the read back waits for at
      // least the acknowledged ones.
      System.err.printf("Kafka ceiling: %d of %d sends failed, first: %s%n", failed.get(), sent, firstFailure.get());
    }
    long records = acknowledged.get();
    if (records == 0) {
      throw new IllegalStateException("no record of " + sent + " was acknowledged", firstFailure.get());
    }
    return new Result(bytes, records, produceSeconds, consume(bootstrapServers, topic, records));
  }

  static Map<String, Object> producerConfig(String bootstrapServers) {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.LINGER_MS_CONFIG, 10,
        ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
  }

  private static double consume(String bootstrapServers, String topic, long records) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    long start = System.nanoTime();
    long read = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (read < records && System.nanoTime() < deadline) {
        read += consumer.poll(Duration.ofMillis(200)).count();
      }
    }
    if (read < records) {
      throw new IllegalStateException("read back " + read + " of " + records
          + " acknowledged records within 2 minutes");
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
