package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes encoded batches to one Kafka topic with an idempotent, compressing producer. */
final class KafkaSpanSink implements SpanSink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSpanSink.class);
  /** After this many failures only every thousandth is logged, so that a dead broker does not flood the log. */
  private static final long FAILURES_LOGGED_IN_FULL = 10;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final BatchEncoder encoder;
  private final LongAdder failedSpans = new LongAdder();
  private final AtomicLong failedSends = new AtomicLong();

  KafkaSpanSink(Map<String, Object> producerConfig, String topic, BatchEncoder encoder) {
    this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.encoder = encoder;
  }

  /** Durable and fast: every replica acknowledges, no duplicates on retry, lz4, batches filled for a few ms. */
  static Map<String, Object> producerConfig(String bootstrapServers, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "tracepipe-generator");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    // Large traces make large OTLP and Zipkin messages; the topics accept up to 8 MiB.
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    config.putAll(overrides);
    return config;
  }

  @Override
  public void send(List<List<Span>> traces) {
    for (BatchEncoder.Message message : encoder.encode(traces)) {
      producer.send(new ProducerRecord<>(topic, message.key(), message.value()), (metadata, error) -> {
        if (error != null) {
          failed(message.spanCount(), error);
        }
      });
    }
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public long failedSpans() {
    return failedSpans.sum();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }

  private void failed(int spans, Exception error) {
    failedSpans.add(spans);
    long count = failedSends.incrementAndGet();
    if (count <= FAILURES_LOGGED_IN_FULL || count % 1000 == 0) {
      LOG.error("lost a message of {} spans to topic {} ({} failed sends so far)", spans, topic, count, error);
    }
  }

  @Override
  public String toString() {
    return "kafka topic " + topic;
  }
}
