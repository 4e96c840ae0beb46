package dev.tracepipe.platform;

import dev.tracepipe.schemas.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.LoggerFactory;

/**
 * Turns a record a stage cannot read or process into a dead letter with the original bytes and the
 * {@code tracepipe.dlq.*} headers, and lets the stage go on: a bad record never kills a stream thread. The dead letter
 * is written by the stage's own producer, in the same transaction as the input offset it skips.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
  /** The stage name, set by {@link TracepipeConfig#streamsProperties}. */
  public static final String STAGE_CONFIG = "tracepipe.stage";
  public static final String UNREADABLE = "undeserializable";
  public static final String PROCESSING_FAILED = "processing_failed";
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
  private static final BoundedLog LOG = new BoundedLog(LoggerFactory.getLogger(DeadLetterHandler.class));

  private String stage = "unknown";
  private String topic = Topics.SPANS_DLQ.name();

  @Override
  public void configure(Map<String, ?> configs) {
    Object name = configs.get(STAGE_CONFIG);
    if (name != null) {
      stage = name.toString();
    }
    Object dlq = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (dlq != null && !dlq.toString().isBlank()) {
      topic = dlq.toString();
    }
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
      ConsumerRecord<byte[], byte[]> record, Exception exception) {
    return DeserializationExceptionHandler.Response.resume(List.of(
        deadLetter(UNREADABLE, record.topic(), record.partition(), record.offset(), record.key(), record.value(),
            exception)));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
      Exception exception) {
    // The source record's bytes, not the processor's input: that is what a person can replay or inspect.
    return ProcessingExceptionHandler.Response.resume(List.of(
        deadLetter(PROCESSING_FAILED, context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
            context.sourceRawValue(), exception)));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(String reason, String sourceTopic, int partition, long offset,
      byte[] key, byte[] value, Exception exception) {
    counter(stage, reason).increment();
    LOG.warn(stage + ": records sent to " + topic + " (" + reason + ")",
        sourceTopic + "-" + partition + "@" + offset + ": " + exception);
    Headers headers = DeadLetterHeaders.withSource(
        DeadLetterHeaders.common(reason, stage, "kafka", String.valueOf(exception)), sourceTopic, partition, offset);
    // Stamped with the time it became a dead letter: left empty, Kafka Streams stamps it with the task's current
    // record time, which a tracer's clock can put years ahead, and the broker then refuses the dead letter, which
    // aborts the transaction and kills the stream thread on the same record again and again.
    return new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value, headers);
  }

  static LongAdder counter(String stage, String reason) {
    return COUNTS.computeIfAbsent(stage + "/" + reason, k -> new LongAdder());
  }

  /** Dead letters this process wrote for a stage and reason, for its metrics. */
  public static long count(String stage, String reason) {
    return counter(stage, reason).sum();
  }
}
