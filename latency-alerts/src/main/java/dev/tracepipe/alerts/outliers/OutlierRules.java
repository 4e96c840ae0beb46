package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.Baseline;
import dev.tracepipe.platform.Durations;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a trace is an outlier by its root operation: a static SLO breach first (an explicit promise), then
 * an adaptive breach of k × the operation's recent p99 (only once the baseline holds enough samples), then, when
 * enabled, any error in the trace.
 */
final class OutlierRules {

  /** The rule a trace broke. */
  record Verdict(AlertRuleType type, String description, long thresholdNanos) {
    Verdict {
      Objects.requireNonNull(type, "type == null");
      Objects.requireNonNull(description, "description == null");
    }
  }

  private final double k;
  private final long minSamples;
  private final SloThresholds slo;
  private final boolean errorTraces;

  OutlierRules(double k, long minSamples, SloThresholds slo, boolean errorTraces) {
    if (!(k > 0) || minSamples < 1) {
      throw new IllegalArgumentException("k > 0 and minSamples >= 1 required: " + k + ", " + minSamples);
    }
    this.k = k;
    this.minSamples = minSamples;
    this.slo = Objects.requireNonNull(slo, "slo == null");
    this.errorTraces = errorTraces;
  }

  long minSamples() {
    return minSamples;
  }

  /**
   * @param baseline the root operation's recent percentiles, or null when none are known
   */
  Optional<Verdict> evaluate(String service, String operation, long durationNanos, int errorCount,
      Baseline baseline) {
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(operation, "operation == null");
    Optional<Long> objective = slo.thresholdNanos(service, operation);
    if (objective.isPresent() && durationNanos > objective.get()) {
      return Optional.of(new Verdict(AlertRuleType.SLO,
          String.format(Locale.ROOT, "duration %s > SLO %s", Durations.text(durationNanos), Durations.text(objective.get())),
          objective.get()));
    }
    if (baseline != null && baseline.getSampleCount() >= minSamples && baseline.getP99Nanos() > 0) {
      long threshold = (long) Math.ceil(k * baseline.getP99Nanos());
      if (durationNanos > threshold) {
        return Optional.of(new Verdict(AlertRuleType.ADAPTIVE_BASELINE,
            String.format(Locale.ROOT, "duration %s > %s × p99 %s (baseline of %d samples)", Durations.text(durationNanos),
                trimmed(k), Durations.text(baseline.getP99Nanos()), baseline.getSampleCount()),
            threshold));
      }
    }
    if (errorTraces && errorCount > 0) {
      return Optional.of(new Verdict(AlertRuleType.ERROR,
          errorCount + (errorCount == 1 ? " span" : " spans") + " with error status", 0));
    }
    return Optional.empty();
  }

  private static String trimmed(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
