package dev.tracepipe.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.serde.WireFormat;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints a topic's records as one JSON object per line: Avro in the registry wire format is decoded with the schema it
 * was written with; other bytes are shown as text when they are UTF-8 and as base64 otherwise.
 */
final class TailCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bootstrap servers and the security settings shared by every client. */
  private final Map<String, Object> kafkaClient;
  private final AvroSerde<GenericRecord> avro;
  private final PrintStream out;

  TailCommand(Map<String, Object> kafkaClient, Map<String, ?> serdeConfig, PrintStream out) {
    this.kafkaClient = Map.copyOf(kafkaClient);
    this.avro = AvroSerde.generic().configured(serdeConfig, false);
    this.out = out;
  }

  /** Reads until max records were printed or no record arrived for the timeout (0 = follow forever). */
  int run(String topic, boolean fromBeginning, long max, Duration timeout) {
    Properties props = new Properties();
    props.putAll(kafkaClient);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "tracepipe-tail-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        System.err.println("tail: topic " + topic + " does not exist");
        return 2;
      }
      infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      long idleSince = System.nanoTime();
      while (max <= 0 || printed < max) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          if (!timeout.isZero() && System.nanoTime() - idleSince > timeout.toNanos()) {
            break;
          }
          continue;
        }
        idleSince = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          out.println(render(record));
          if (max > 0 && ++printed >= max) {
            break;
          }
        }
        out.flush();
      }
    }
    return 0;
  }

  String render(ConsumerRecord<byte[], byte[]> record) {
    ObjectNode line = JSON.createObjectNode();
    line.put("topic", record.topic());
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", record.timestamp());
    line.set("key", decode(record.topic(), record.key()));
    line.set("value", decode(record.topic(), record.value()));
    ObjectNode headers = JSON.createObjectNode();
    for (Header header : record.headers()) {
      headers.set(header.key(), text(header.value()));
    }
    if (!headers.isEmpty()) {
      line.set("headers", headers);
    }
    return line.toString();
  }

  private JsonNode decode(String topic, byte[] bytes) {
    if (bytes == null) {
      return JSON.nullNode();
    }
    if (bytes.length > WireFormat.HEADER_SIZE && bytes[0] == WireFormat.MAGIC) {
      try {
        GenericRecord record = avro.deserialize(topic, bytes);
        return JSON.readTree(GenericData.get().toString(record));
      } catch (Exception notAvro) {
        // Not every byte string that starts with 0 is Avro; fall through and show it as bytes.
      }
    }
    return text(bytes);
  }

  private static JsonNode text(byte[] bytes) {
    if (bytes == null) {
      return JSON.nullNode();
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      if (text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
          try {
            return JSON.readTree(trimmed);
          } catch (Exception notJson) {
            // Text that only looks like JSON is shown as text.
          }
        }
        return JSON.getNodeFactory().textNode(text);
      }
    } catch (CharacterCodingException binary) {
      // Binary payload: shown as base64 below.
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("base64", java.util.Base64.getEncoder().encodeToString(bytes));
    return node;
  }
}
