package dev.tracepipe.launcher;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.TailingConsumer;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code traces} and {@code latency-alerts} as a user would (read_committed, the project's Avro serde) and
 * keeps what the demo's screen shows: how many traces, the latest one, the server operations seen, the latest alerts.
 */
final class DemoFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoFeed.class);
  static final int ALERTS_KEPT = 5;

  /** A server operation seen in a trace: what {@code /api/latency} is asked about. */
  record Operation(String service, String name) {}

  /** The newest assembled trace. */
  record LatestTrace(String traceId, String rootService, String rootOperation, int spanCount, long durationNanos) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<Trace> traces;
  private final Deserializer<LatencyAlert> alerts;
  private final Thread thread;
  private final Set<Operation> operations = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<LatencyAlert> latestAlerts = new ArrayDeque<>();
  private final Map<String, LatencyAlert> firing = new java.util.TreeMap<>();
  private final Map<String, Long> topBlames = new TreeMap<>();
  private volatile long traceCount;
  private volatile long alertCount;
  private volatile LatestTrace latest;
  private volatile boolean running = true;

  DemoFeed(String bootstrapServers, Map<String, ?> serdeConfig) {
    consumer = TailingConsumer.atEnd(bootstrapServers, "tracepipe-demo-",
        List.of(Topics.TRACES.name(), Topics.LATENCY_ALERTS.name()), new Properties());
    traces = Topics.TRACES.valueSerde(serdeConfig).deserializer();
    alerts = Topics.LATENCY_ALERTS.valueSerde(serdeConfig).deserializer();
    thread = new Thread(this::run, "tracepipe-demo-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() == null) {
            continue;
          }
          if (record.topic().equals(Topics.TRACES.name())) {
            onTrace(traces.deserialize(record.topic(), record.value()));
          } else {
            onAlert(alerts.deserialize(record.topic(), record.value()));
          }
        }
      }
    } catch (WakeupException stopping) {
      // close() woke the consumer up to stop.
    } catch (RuntimeException e) {
      LOG.error("demo stopped reading traces and alerts", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void onTrace(Trace trace) {
    if (trace.getVersion() == 1) {
      traceCount++;
    }
    latest = new LatestTrace(trace.getTraceId(), trace.getRootService(), trace.getRootOperation(),
        trace.getSpanCount(), trace.getDurationNanos());
    for (Span span : trace.getSpans()) {
      if (span.getKind() == SpanKind.SERVER) {
        operations.add(new Operation(span.getService(), span.getName()));
      }
    }
  }

  private synchronized void onAlert(LatencyAlert alert) {
    if (!alert.getAlertId().isEmpty()) {
      // A host or release condition: shown while it fires, gone once resolved.
      if (alert.getStatus() == dev.tracepipe.avro.AlertStatus.RESOLVED) {
        firing.remove(alert.getAlertId());
      } else {
        firing.put(alert.getAlertId(), alert);
      }
      return;
    }
    alertCount++;
    latestAlerts.addFirst(alert);
    while (latestAlerts.size() > ALERTS_KEPT) {
      latestAlerts.removeLast();
    }
    if (!alert.getBlame().isEmpty()) {
      topBlames.merge(alert.getBlame().get(0).getService(), 1L, Long::sum);
    }
  }

  long traceCount() {
    return traceCount;
  }

  LatestTrace latest() {
    return latest;
  }

  Set<Operation> operations() {
    return Set.copyOf(operations);
  }

  long alertCount() {
    return alertCount;
  }

  /** The host and release conditions firing now, by alert id. */
  synchronized List<LatencyAlert> firing() {
    return List.copyOf(firing.values());
  }

  /** The newest alerts first. */
  synchronized List<LatencyAlert> latestAlerts() {
    return List.copyOf(latestAlerts);
  }

  /** How many alerts blamed each service first. */
  synchronized Map<String, Long> topBlames() {
    return Map.copyOf(topBlames);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
