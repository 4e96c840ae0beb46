package dev.tracepipe.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {

  @Test
  void anUnreadableRecordBecomesADeadLetterWithItsBytesAndSourceAndTheStageGoesOn() {
    DeadLetterHandler handler = new DeadLetterHandler();
    handler.configure(Map.of(DeadLetterHandler.STAGE_CONFIG, "dependency-graph",
        "errors.dead.letter.queue.topic.name", "my-dlq"));
    byte[] value = "garbage".getBytes(StandardCharsets.UTF_8);
    long before = DeadLetterHandler.count("dependency-graph", DeadLetterHandler.UNREADABLE);

    DeserializationExceptionHandler.Response response = handler.handleError(null,
        new ConsumerRecord<>("traces", 3, 42L, "k".getBytes(StandardCharsets.UTF_8), value),
        new SerializationException("unknown magic byte"));

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).hasSize(1);
    ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
    assertThat(letter.topic()).isEqualTo("my-dlq");
    assertThat(letter.value()).isEqualTo(value);
    assertThat(letter.timestamp()).as("stamped now, not with a record time the broker may refuse").isNotNull();
    assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("dependency-graph");
    assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(DeadLetterHandler.UNREADABLE);
    assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("traces");
    assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("3");
    assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("42");
    assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.DETAIL)).contains("unknown magic byte");
    assertThat(DeadLetterHandler.count("dependency-graph", DeadLetterHandler.UNREADABLE)).isEqualTo(before + 1);
  }
}
