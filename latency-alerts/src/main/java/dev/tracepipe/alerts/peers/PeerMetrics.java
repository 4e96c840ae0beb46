package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.AlertStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counters of peer comparison and alert lifecycle, and a log of drops bounded to one line a minute. */
final class PeerMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(PeerMetrics.class);
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final MeterRegistry registry;
  private final Counter dropped;
  private final Counter versionsForgotten;
  private final AtomicLong droppedSinceLog = new AtomicLong();
  private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  PeerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.dropped = Counter.builder("tracepipe.alerts.lifecycle.dropped")
        .description("New peer conditions not tracked because an operation had too many firing already")
        .register(registry);
    this.versionsForgotten = Counter.builder("tracepipe.peers.versions.forgotten")
        .description("Versions dropped from an operation's release history beyond its cap").register(registry);
  }

  void sent(AlertRuleType rule, AlertStatus status) {
    Counter.builder("tracepipe.alerts.lifecycle.sent").tag("rule", rule.name()).tag("status", status.name())
        .description("Peer alert records written, by rule and status").register(registry).increment();
  }

  void versionsForgotten(int n) {
    versionsForgotten.increment(n);
  }

  void dropped(int n, String operation) {
    if (n == 0) {
      return;
    }
    dropped.increment(n);
    long pending = droppedSinceLog.addAndGet(n);
    long last = lastLogNanos.get();
    long now = System.nanoTime();
    if (now - last >= LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now)) {
      droppedSinceLog.addAndGet(-pending);
      LOG.warn("{} new peer conditions not tracked in the last minute (cap {} reached, latest for {})", pending,
          PeerSettings.MAX_ACTIVE.key(), operation);
    }
  }
}
