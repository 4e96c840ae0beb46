package dev.tracepipe.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far topics have been written and how far consumer groups (stages) have read them, summed over partitions. */
final class TopicOffsets implements AutoCloseable {
  private final Admin admin;

  TopicOffsets(String bootstrapServers) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** The sum of the partitions' end offsets (records written, plus one marker per transaction and partition). */
  long end(String topic) throws ExecutionException, InterruptedException {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The sum of the group's committed offsets on the topic; 0 for partitions it has not committed. */
  long committed(String group, String topic) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
  }

  /** Makes a new group start at the topic's current end, so that it reads only what is written from now on. */
  void commitAtEnd(String group, String topic) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    endOffsets(topic).forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
    admin.alterConsumerGroupOffsets(group, offsets).all().get();
  }

  private Map<TopicPartition, Long> endOffsets(String topic) throws ExecutionException, InterruptedException {
    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> result = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
        : admin.listOffsets(request).all().get().entrySet()) {
      result.put(e.getKey(), e.getValue().offset());
    }
    return result;
  }

  @Override
  public void close() {
    admin.close();
  }
}
