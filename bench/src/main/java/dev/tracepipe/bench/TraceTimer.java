package dev.tracepipe.bench;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.TailingConsumer;
import dev.tracepipe.schemas.serde.WireFormat;
import dev.tracepipe.schemas.topics.Topics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code traces} and {@code latency-alerts} as a consumer would (read_committed) and notes, for every first
 * version of a trace and every alert, when it arrived by the wall clock next to the times the trace carries. Traces
 * are decoded with a reader schema of four fields, so that the spans are skipped rather than built.
 */
final class TraceTimer implements AutoCloseable {
  /** A trace as received: wall clock at receipt, the trace's start and end, its spans. All times epoch nanos. */
  record Arrival(long receivedNanos, long startNanos, long endNanos, int spans) {}

  /** An alert as received, with the service its blame names first (null when it blames nothing). */
  record AlertArrival(long receivedNanos, long startNanos, long endNanos, String topBlame) {}

  private static final Schema PROJECTION = new Schema.Parser().parse("""
      {"type": "record", "name": "Trace", "namespace": "dev.tracepipe.avro", "fields": [
        {"name": "version", "type": "int"}, {"name": "startTimeNanos", "type": "long"},
        {"name": "endTimeNanos", "type": "long"}, {"name": "spanCount", "type": "int"}]}
      """);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final GenericDatumReader<GenericRecord> traceReader =
      new GenericDatumReader<>(Trace.getClassSchema(), PROJECTION);
  private final Deserializer<LatencyAlert> alerts;
  private final Thread thread;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final List<AlertArrival> alertArrivals = new ArrayList<>();
  private long laterVersions;
  private volatile boolean running = true;
  private volatile RuntimeException failure;
  private BinaryDecoder decoder;

  TraceTimer(String bootstrapServers, Map<String, ?> serdeConfig) {
    Properties fast = new Properties();
    fast.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    consumer = TailingConsumer.atEnd(bootstrapServers, "tracepipe-bench-",
        List.of(Topics.TRACES.name(), Topics.LATENCY_ALERTS.name()), fast);
    alerts = Topics.LATENCY_ALERTS.valueSerde(serdeConfig).deserializer();
    thread = new Thread(this::run, "tracepipe-bench-trace-timer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(100));
        long now = epochNanos();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          if (record.topic().equals(Topics.TRACES.name())) {
            onTrace(now, record.value());
          } else {
            onAlert(now, alerts.deserialize(record.topic(), record.value()));
          }
        }
      }
    } catch (WakeupException stopping) {
      // close() woke the consumer up to stop.
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void onTrace(long now, byte[] value) {
    GenericRecord trace;
    try {
      decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
          value.length - WireFormat.HEADER_SIZE, decoder);
      trace = traceReader.read(null, decoder);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable trace record", e);
    }
    synchronized (this) {
      if ((Integer) trace.get("version") == 1) {
        arrivals.add(new Arrival(now, (Long) trace.get("startTimeNanos"), (Long) trace.get("endTimeNanos"),
            (Integer) trace.get("spanCount")));
      } else {
        laterVersions++;
      }
    }
  }

  private synchronized void onAlert(long now, LatencyAlert alert) {
    String blame = alert.getBlame().isEmpty() ? null : alert.getBlame().get(0).getService();
    alertArrivals.add(new AlertArrival(now, alert.getStartTimeNanos(),
        alert.getStartTimeNanos() + alert.getDurationNanos(), blame));
  }

  /** First versions received between the two wall-clock times (epoch nanos). */
  synchronized List<Arrival> arrivals(long fromNanos, long toNanos) {
    check();
    return arrivals.stream().filter(a -> a.receivedNanos() >= fromNanos && a.receivedNanos() < toNanos).toList();
  }

  synchronized List<AlertArrival> alerts(long fromNanos, long toNanos) {
    check();
    return alertArrivals.stream().filter(a -> a.receivedNanos() >= fromNanos && a.receivedNanos() < toNanos).toList();
  }

  /** Records of a version above 1 (late updates and fragments) seen so far. */
  synchronized long laterVersions() {
    return laterVersions;
  }

  private void check() {
    if (failure != null) {
      throw new IllegalStateException("reading traces failed", failure);
    }
  }

  static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
