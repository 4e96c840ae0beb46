package dev.tracepipe.alerts;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.platform.BoundedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alerts topic, committed records only, from {@code lookback} ago onwards into {@link RecentAlerts}. Every
 * instance reads every partition: alerts are few, and each instance then answers the page alone, restarts included.
 */
public final class AlertTail implements AutoCloseable {
  /** Metric name (Micrometer's; Prometheus adds {@code _total}). */
  public static final String UNREADABLE_METRIC = "tracepipe.alerts.recent.unreadable";

  private static final Logger LOG = LoggerFactory.getLogger(AlertTail.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final Map<String, Object> clientProperties;
  private final String topic;
  private final Deserializer<LatencyAlert> alerts;
  private final Duration lookback;
  private final RecentAlerts recent;
  private final Counter unreadable;
  private final Counter forgotten;
  private final BoundedLog problems = new BoundedLog(LOG);
  private final Thread thread;
  private volatile boolean closed;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /** @param clientProperties bootstrap servers and security settings, as for every client of the stage */
  public AlertTail(Map<String, Object> clientProperties, String topic, Deserializer<LatencyAlert> alerts,
      Duration lookback, RecentAlerts recent, MeterRegistry meters) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.topic = Objects.requireNonNull(topic, "topic == null");
    this.alerts = Objects.requireNonNull(alerts, "alerts == null");
    this.lookback = Objects.requireNonNull(lookback, "lookback == null");
    this.recent = Objects.requireNonNull(recent, "recent == null");
    this.unreadable = Counter.builder(UNREADABLE_METRIC)
        .description("Alert records the page's list of recent alerts could not read").register(meters);
    this.forgotten = Counter.builder("tracepipe.alerts.recent.forgotten")
        .description("Alerts dropped from the list of recent alerts beyond its cap").register(meters);
    this.thread = new Thread(this::run, "alert-tail");
    thread.setDaemon(true);
  }

  public AlertTail start() {
    thread.start();
    return this;
  }

  private void run() {
    while (!closed) {
      Map<String, Object> props = new HashMap<>(clientProperties);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tracepipe-alert-tail");
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        if (closed) return;
        position(c);
        while (!closed) {
          for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(500))) read(record);
        }
      } catch (WakeupException e) {
        return; // closing
      } catch (RuntimeException e) {
        problems.warn("reading recent alerts failed; retrying", e.toString());
        pause();
      }
    }
  }

  private void position(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> partitions = new ArrayList<>();
    c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    if (partitions.isEmpty()) throw new IllegalStateException("topic " + topic + " has no partitions yet");
    c.assign(partitions);
    // The tail shows what was written since lookback ago: the wall clock is the point, not event time.
    long since = System.currentTimeMillis() - lookback.toMillis();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, since));
    Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(times, Duration.ofSeconds(30));
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp at = offsets.get(p);
      if (at == null) c.seekToEnd(List.of(p));
      else c.seek(p, at.offset());
    }
  }

  private void read(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) return;
    try {
      forgotten.increment(recent.add(record.timestamp(), alerts.deserialize(record.topic(), record.value())));
    } catch (RuntimeException e) {
      unreadable.increment();
      problems.warn("an alert record could not be read; skipped",
          record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e);
    }
  }

  private void pause() {
    synchronized (this) {
      try {
        if (!closed) wait(RETRY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) c.wakeup();
    synchronized (this) {
      notifyAll();
    }
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
