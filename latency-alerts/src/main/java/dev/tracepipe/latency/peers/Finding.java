package dev.tracepipe.latency.peers;

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
        group.sketch().quantile(0.99));
  }

  /** A latency finding when the subject's p99 exceeds factor × the peers' p99. */
  static Optional<Finding> latency(AlertRuleType rule, PeerWindow window, String dimension, String value,
      List<String> peerValues, Distribution subject, Distribution peers, double factor, String peerText) {
    if (peers.getP99Nanos() <= 0) {
      return Optional.empty();
    }
    long threshold = (long) Math.ceil(factor * peers.getP99Nanos());
    if (subject.getP99Nanos() <= threshold) {
      return Optional.empty();
    }
    double ratio = (double) subject.getP99Nanos() / peers.getP99Nanos();
    String description = String.format(Locale.ROOT, "%s %s: p50 %s p99 %s, %.1f× %s p50 %s p99 %s", dimension, value,
        text(subject.getP50Nanos()), text(subject.getP99Nanos()), ratio, peerText, text(peers.getP50Nanos()),
        text(peers.getP99Nanos()));
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
    if (rate <= factor * peersRate || rate - peersRate < minDifference) {
      return Optional.empty();
    }
    // With no errors among the peers, one error in all their spans stands in so the ratio stays finite.
    double ratio = rate / Math.max(peersRate, 1.0 / Math.max(1, peers.getCount()));
    String description = String.format(Locale.ROOT, "%s %s: error rate %.1f%% of %d spans, %s %.1f%%", dimension,
        value, 100 * rate, subject.getCount(), peerText, 100 * peersRate);
    return Optional.of(new Finding(alertId(rule, window, dimension, value, PeerMeasure.ERROR_RATE), rule,
        PeerMeasure.ERROR_RATE, dimension, value, peerValues, subject, peers, ratio, 0, description));
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
