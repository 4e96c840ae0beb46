package dev.tracepipe.platform.time;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the records a stage placed away from their own time, by reason, in {@code tracepipe.clock.adjusted{stage,
 * reason}}, and logs the counts at most once per minute instead of once per record.
 */
public final class ClockMetrics {

  public static final String METRIC = "tracepipe.clock.adjusted";
  private static final Logger LOG = LoggerFactory.getLogger(ClockMetrics.class);
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final MeterRegistry registry;
  private final String stage;
  private final Map<Placement.Adjustment, Counter> counters = new EnumMap<>(Placement.Adjustment.class);
  private final Map<Placement.Adjustment, Long> sinceLog = new EnumMap<>(Placement.Adjustment.class);
  private final LongSupplier nanoTime;
  private long lastLog;

  public ClockMetrics(MeterRegistry registry, String stage) {
    this(registry, stage, System::nanoTime);
  }

  /** @param nanoTime the clock of the log rate limit only; it decides nothing about the data */
  ClockMetrics(MeterRegistry registry, String stage, LongSupplier nanoTime) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
    this.stage = Objects.requireNonNull(stage, "stage == null");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime == null");
    for (Placement.Adjustment reason : Placement.Adjustment.values()) {
      counters.put(reason, Counter.builder(METRIC).tag("stage", stage).tag("reason", reason.tag())
          .description("Records counted away from their own time: a tracer clock out of range or a late arrival")
          .register(registry));
    }
    this.lastLog = nanoTime.getAsLong() - LOG_INTERVAL_NANOS;
  }

  /** Counts one adjusted record; does nothing for a record kept at its own time. */
  public void count(Placement placement) {
    if (placement.adjusted()) {
      count(placement.adjustment(), 1);
    }
  }

  public synchronized void count(Placement.Adjustment reason, long n) {
    counters.get(reason).increment(n);
    sinceLog.merge(reason, n, Long::sum);
    long now = nanoTime.getAsLong();
    if (now - lastLog >= LOG_INTERVAL_NANOS) {
      StringJoiner counts = new StringJoiner(", ");
      sinceLog.forEach((r, c) -> counts.add(r.tag() + "=" + c));
      LOG.warn("{}: records counted away from their own time since the last report: {} (metric {})", stage, counts,
          METRIC);
      sinceLog.clear();
      lastLog = now;
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  String stage() {
    return stage;
  }

  public double count(Placement.Adjustment reason) {
    return counters.get(reason).count();
  }
}
