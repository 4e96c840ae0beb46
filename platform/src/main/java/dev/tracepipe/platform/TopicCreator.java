package dev.tracepipe.platform;

import dev.tracepipe.schemas.topics.TopicSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics that do not exist yet, with their declared configuration, replicated on min(3, brokers)
 * unless {@value TracepipeConfig#TOPIC_REPLICATION} says otherwise.
 */
public final class TopicCreator {
  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
  static final int DEFAULT_MAX_REPLICATION = 3;

  private TopicCreator() {}

  /** Creates what is missing and returns the replication factor used, for the stages' internal topics too. */
  public static short createMissing(TracepipeConfig config, List<TopicSpec<?, ?>> topics) {
    int partitions = config.integer(TracepipeConfig.TOPIC_PARTITIONS, 0);
    try (Admin admin = Admin.create(config.kafkaClientProperties())) {
      short replication = replicationFactor(config, admin);
      String minIsr = String.valueOf(config.minInSyncReplicas(replication));
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream()
          .filter(t -> !existing.contains(t.name()))
          .map(t -> withMinIsr((partitions > 0 && t.partitions() > 1 ? t.withPartitions(partitions) : t)
              .newTopic(replication), minIsr))
          .toList();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(60, TimeUnit.SECONDS);
          LOG.info("created topic {} (replication {}, min.insync.replicas {})", entry.getKey(), replication, minIsr);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return replication;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topics on " + config.string(TracepipeConfig.BOOTSTRAP_SERVERS)
          + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }

  /** The configured factor, else as many replicas as brokers up to three: one broker down loses nothing. */
  static short replicationFactor(TracepipeConfig config, Admin admin)
      throws ExecutionException, InterruptedException, TimeoutException {
    int configured = config.integer(TracepipeConfig.TOPIC_REPLICATION, -1);
    if (configured > 0) {
      return (short) configured;
    }
    int brokers = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size();
    return (short) Math.max(1, Math.min(DEFAULT_MAX_REPLICATION, brokers));
  }

  private static NewTopic withMinIsr(NewTopic topic, String minIsr) {
    Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
    configs.putIfAbsent(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
    return topic.configs(configs);
  }
}
