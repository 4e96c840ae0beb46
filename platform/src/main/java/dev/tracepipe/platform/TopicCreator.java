package dev.tracepipe.platform;

import dev.tracepipe.schemas.topics.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalogue's topics that do not exist yet, with their declared configuration. */
public final class TopicCreator {
  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

  private TopicCreator() {}

  public static void createMissing(TracepipeConfig config, List<TopicSpec<?, ?>> topics) {
    int partitions = config.integer(TracepipeConfig.TOPIC_PARTITIONS, 0);
    short replication = (short) config.integer(TracepipeConfig.TOPIC_REPLICATION, 1);
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.string(TracepipeConfig.BOOTSTRAP_SERVERS)))) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream()
          .filter(t -> !existing.contains(t.name()))
          .map(t -> (partitions > 0 && t.partitions() > 1 ? t.withPartitions(partitions) : t).newTopic(replication))
          .toList();
      if (missing.isEmpty()) {
        return;
      }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(60, TimeUnit.SECONDS);
          LOG.info("created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topics on " + config.string(TracepipeConfig.BOOTSTRAP_SERVERS)
          + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }
}
