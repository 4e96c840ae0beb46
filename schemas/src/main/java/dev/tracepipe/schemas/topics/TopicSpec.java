package dev.tracepipe.schemas.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * Everything about one topic, declared once: its name, how keys and values are encoded, and how the topic is created.
 *
 * @param retention how long records are kept; empty keeps them forever (compacted topics)
 */
public record TopicSpec<K, V>(
    String name,
    SerdeFactory<K> key,
    SerdeFactory<V> value,
    int partitions,
    String cleanupPolicy,
    Optional<Duration> retention,
    int maxMessageBytes) {

  /** Makes a serde from serde configuration (e.g. the schema registry URL). */
  @FunctionalInterface
  public interface SerdeFactory<T> {
    Serde<T> create(Map<String, ?> serdeConfig, boolean isKey);
  }

  public TopicSpec {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy == null");
    Objects.requireNonNull(retention, "retention == null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name is blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions < 1 for " + name);
    }
  }

  public Serde<K> keySerde(Map<String, ?> serdeConfig) {
    return key.create(serdeConfig, true);
  }

  public Serde<V> valueSerde(Map<String, ?> serdeConfig) {
    return value.create(serdeConfig, false);
  }

  /** The same topic under another name, for deployments that rename inputs or outputs. */
  public TopicSpec<K, V> withName(String newName) {
    return new TopicSpec<>(newName, key, value, partitions, cleanupPolicy, retention, maxMessageBytes);
  }

  public TopicSpec<K, V> withPartitions(int newPartitions) {
    return new TopicSpec<>(name, key, value, newPartitions, cleanupPolicy, retention, maxMessageBytes);
  }

  /** The admin request that creates this topic with its configuration. */
  public NewTopic newTopic(short replicationFactor) {
    return new NewTopic(name, partitions, replicationFactor).configs(topicConfig());
  }

  public Map<String, String> topicConfig() {
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.map(Duration::toMillis).orElse(-1L)),
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes));
  }
}
