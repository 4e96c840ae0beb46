package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.Distribution;
import dev.tracepipe.avro.PeerMeasure;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A host or version out of line with its peers in one window.
 *
 * @param alertId what stays the same while the condition lasts: rule, operation, value judged and measure
 * @param thresholdNanos the latency it had to exceed (0 for an error rate)
 */
record Finding(String alertId, AlertRuleType rule, PeerMeasure measure, String dimension, String value,
    List<String> peerValues, Distribution subject, Distribution peers, double ratio, long thresholdNanos,
    String description) {

  /** Standard errors an error rate must lie above its peers' before it counts as out of line. */
  static final double MIN_Z = 4.0;
  /** Errors a host or version needs in a window before its error rate is judged at all. */
  static final long MIN_ERRORS = 5;

  Finding {
    Objects.requireNonNull(alertId, "alertId == null");
    peerValues = List.copyOf(peerValues);
  }

  static String alertId(AlertRuleType rule, PeerWindow window, String dimension, String value, PeerMeasure measure) {
    return rule.name() + '|' + window.service() + '|' + window.operation() + '|' + window.kind() + '|' + dimension
        + '=' + value + '|' + measure.name();
  }

  static Distribution distribution(Marginals.Group group) {
    return new Distribution(group.count(), group.errors(), group.sketch().quantile(0.5),
        group.sketch().quantile(0.99), group.self().quantile(0.5), group.self().quantile(0.99));
  }

  /**
   * A latency finding when both the subject's self-time p50 and its self-time p99 exceed factor × the peers'. Self
   * time is what a host or a release itself does; its duration also waits on other services, which dilutes a 4×
   * slower release into 1.3× slower requests. With tens of spans per window a p99 is one or two spans, so the median
   * has to agree before a whole host or release is called slow.
   */
  static Optional<Finding> latency(AlertRuleType rule, PeerWindow window, String dimension, String value,
      List<String> peerValues, Distribution subject, Distribution peers, double factor, String peerText) {
    if (peers.getSelfP99Nanos() <= 0 || peers.getSelfP50Nanos() <= 0) {
      return Optional.empty();
    }
    long threshold = (long) Math.ceil(factor * peers.getSelfP99Nanos());
    if (subject.getSelfP99Nanos() <= threshold || subject.getSelfP50Nanos() <= factor * peers.getSelfP50Nanos()) {
      return Optional.empty();
    }
    double ratio = (double) subject.getSelfP99Nanos() / peers.getSelfP99Nanos();
    String description = String.format(Locale.ROOT,
        "%s %s: self time p50 %s p99 %s, %.1f× %s p50 %s p99 %s (durations p50 %s p99 %s against %s %s)", dimension,
        value, text(subject.getSelfP50Nanos()), text(subject.getSelfP99Nanos()), ratio, peerText,
        text(peers.getSelfP50Nanos()), text(peers.getSelfP99Nanos()), text(subject.getP50Nanos()),
        text(subject.getP99Nanos()), text(peers.getP50Nanos()), text(peers.getP99Nanos()));
    return Optional.of(new Finding(alertId(rule, window, dimension, value, PeerMeasure.LATENCY), rule,
        PeerMeasure.LATENCY, dimension, value, peerValues, subject, peers, ratio, threshold, description));
  }

  /**
   * An error-rate finding when the subject's rate exceeds factor × the peers' rate and is at least minDifference
   * higher: a relative test alone would fire on 2 errors against 1.
   */
  static Optional<Finding> errorRate(AlertRuleType rule, PeerWindow window, String dimension, String value,
      List<String> peerValues, Distribution subject, Distribution peers, double peersRate, double factor,
      double minDifference, String peerText) {
    double rate = subject.getCount() == 0 ? 0 : (double) subject.getErrorCount() / subject.getCount();
    if (rate <= factor * peersRate || rate - peersRate < minDifference
        || subject.getErrorCount() < MIN_ERRORS
        || zScore(subject.getErrorCount(), subject.getCount(), pooledRate(peers), peers.getCount()) < MIN_Z) {
      return Optional.empty();
    }
    // With no errors among the peers, one error in all their spans stands in so the ratio stays finite.
    double ratio = rate / Math.max(peersRate, 1.0 / Math.max(1, peers.getCount()));
    String description = String.format(Locale.ROOT, "%s %s: error rate %.1f%% of %d spans, %s %.1f%%", dimension,
        value, 100 * rate, subject.getCount(), peerText, 100 * peersRate);
    return Optional.of(new Finding(alertId(rule, window, dimension, value, PeerMeasure.ERROR_RATE), rule,
        PeerMeasure.ERROR_RATE, dimension, value, peerValues, subject, peers, ratio, 0, description));
  }

  /**
   * How many standard errors the subject's error rate lies above the peers' (two-proportion z test). Three errors in
   * thirty spans against none in a hundred is 10% against 0%, and chance; the test says so.
   */
  private static double pooledRate(Distribution peers) {
    return peers.getCount() == 0 ? 0 : (double) peers.getErrorCount() / peers.getCount();
  }

  static double zScore(long errors, long count, double peersRate, long peersCount) {
    if (count == 0 || peersCount == 0) {
      return 0;
    }
    double rate = (double) errors / count;
    double pooled = (errors + peersRate * peersCount) / (count + peersCount);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / count + 1.0 / peersCount));
    return se == 0 ? 0 : (rate - peersRate) / se;
  }

  private static String text(long nanos) {
    if (nanos >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }
    if (nanos >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
  }
}
