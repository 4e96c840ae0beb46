package dev.tracepipe.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry log in a single-partition compacted Kafka topic: read from the start on open, then
 * followed from where it was left; written synchronously with an idempotent acks=all producer.
 */
final class KafkaSchemaLog implements SchemaLog {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);

  private final String topic;
  private final TopicPartition partition;
  private final Duration timeout;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;

  private KafkaSchemaLog(Map<String, Object> kafkaClient, String topic, Duration timeout) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.timeout = timeout;
    this.consumer = new KafkaConsumer<>(with(kafkaClient, Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader-" + topic,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.producer = new KafkaProducer<>(with(kafkaClient, Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-writer-" + topic,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs)),
        new ByteArraySerializer(), new ByteArraySerializer());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /** Creates the topic if it is missing, checks its layout and opens it for reading and writing. */
  static KafkaSchemaLog open(Map<String, Object> kafkaClient, String topic, Duration timeout) {
    if (!kafkaClient.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("kafka client settings lack " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }
    try (Admin admin = Admin.create(with(kafkaClient,
        Map.of(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())))) {
      ensureTopic(admin, topic, timeout);
    }
    return new KafkaSchemaLog(kafkaClient, topic, timeout);
  }

  /** The shared connection and security settings with this client's own on top. */
  private static Map<String, Object> with(Map<String, Object> kafkaClient, Map<String, Object> own) {
    Map<String, Object> merged = new java.util.HashMap<>(kafkaClient);
    merged.putAll(own);
    return merged;
  }

  private static void ensureTopic(Admin admin, String topic, Duration timeout) {
    try {
      TopicDescription description = describe(admin, topic, timeout);
      if (description == null) {
        createTopic(admin, topic, timeout);
        description = awaitVisible(admin, topic, timeout);
        if (description == null) {
          throw new IllegalStateException("topic " + topic + " is still missing after creating it");
        }
      }
      if (description.partitions().size() != 1) {
        throw new IllegalStateException("schema topic " + topic + " has " + description.partitions().size()
            + " partitions; it needs exactly 1 to keep the registry's records in order");
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config = admin.describeConfigs(Set.of(resource)).all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
      String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
        throw new IllegalStateException("schema topic " + topic + " has cleanup.policy=" + policy
            + "; it must be compact, or retention would delete registered schemas");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing schema topic " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not prepare schema topic " + topic + ": " + e, e);
    }
  }

  /** A new topic's metadata reaches the broker a moment after creation succeeds: ask again until the timeout. */
  private static TopicDescription awaitVisible(Admin admin, String topic, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    TopicDescription description = describe(admin, topic, timeout);
    while (description == null && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
      description = describe(admin, topic, timeout);
    }
    return description;
  }

  private static TopicDescription describe(Admin admin, String topic, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return admin.describeTopics(Set.of(topic)).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  private static void createTopic(Admin admin, String topic, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    // The broker's default replication factor: 1 on a dev broker, the cluster's choice elsewhere.
    NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(Set.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Created schema topic {}", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  @Override
  public void catchUp(Consumer<LogRecord> sink) {
    Instant deadline = Instant.now().plus(timeout);
    try {
      long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
      while (consumer.position(partition, timeout) < end) {
        if (Instant.now().isAfter(deadline)) {
          throw RegistryException.storeTimeout("reading " + topic + " up to offset " + end + " took longer than "
              + timeout + "; stuck at offset " + consumer.position(partition), null);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          apply(record, sink);
        }
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw RegistryException.storeTimeout("reading " + topic + ": " + e.getMessage(), e);
    } catch (KafkaException e) {
      throw RegistryException.storeError("reading " + topic + ": " + e.getMessage(), e);
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record, Consumer<LogRecord> sink) {
    try {
      sink.accept(SchemaLogCodec.decode(record.key(), record.value()));
    } catch (RuntimeException e) {
      // A record we cannot read might hold an id; skipping it could hand that id out twice.
      throw new IllegalStateException("unreadable record at " + topic + " offset " + record.offset() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void append(byte[] key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, 0, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted while writing to " + topic, e);
    } catch (TimeoutException e) {
      throw RegistryException.storeTimeout("writing to " + topic + " took longer than " + timeout, e);
    } catch (ExecutionException e) {
      throw RegistryException.storeError("writing to " + topic + ": " + e.getCause(), e.getCause());
    } catch (KafkaException e) {
      throw RegistryException.storeError("writing to " + topic + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      producer.close(timeout);
    } finally {
      consumer.close(CloseOptions.timeout(timeout));
    }
  }
}
