package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.Distribution;
import dev.tracepipe.avro.PeerMeasure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares each version of an operation with the version it replaces: the newest one that appeared before it (by
 * first window seen, then by version number when both appeared together). The old version's spans in the same window
 * are the baseline during a rollout; once it stopped running, its last remembered windows are.
 */
final class ReleaseComparison {

  private final PeerSettings settings;

  ReleaseComparison(PeerSettings settings) {
    this.settings = settings;
  }

  /**
   * @param present the window's versions with their spans, every count
   * @param judged receives the alert id of every condition that had enough data to be judged
   */
  List<Finding> judge(PeerWindow window, Map<String, Marginals.Group> present, ReleaseHistory history,
      Set<String> judged) {
    List<Finding> findings = new ArrayList<>();
    String dimension = settings.versionDimension();
    for (Map.Entry<String, Marginals.Group> version : present.entrySet()) {
      if (version.getValue().count() < settings.minSamples()) {
        continue;
      }
      Optional<String> replaced = replaced(version.getKey(), window.startMillis(), present, history);
      if (replaced.isEmpty()) {
        continue;
      }
      Marginals.Group same = present.get(replaced.get());
      Marginals.Group baseline = same != null && same.count() >= settings.minSamples()
          ? same : history.before(replaced.get(), window.startMillis());
      if (baseline.count() < settings.minSamples()) {
        continue;
      }
      Distribution subject = Finding.distribution(version.getValue());
      Distribution before = Finding.distribution(baseline);
      String text = "version " + replaced.get() + (baseline == same ? " in the same window" : " before it");
      judged.add(Finding.alertId(AlertRuleType.RELEASE_REGRESSION, window, dimension, version.getKey(),
          PeerMeasure.LATENCY));
      judged.add(Finding.alertId(AlertRuleType.RELEASE_REGRESSION, window, dimension, version.getKey(),
          PeerMeasure.ERROR_RATE));
      List<String> peers = List.of(replaced.get());
      Finding.latency(AlertRuleType.RELEASE_REGRESSION, window, dimension, version.getKey(), peers, subject, before,
          settings.releaseFactor(), text).ifPresent(findings::add);
      Finding.errorRate(AlertRuleType.RELEASE_REGRESSION, window, dimension, version.getKey(), peers, subject, before,
          baseline.errorRate(), settings.errorFactor(), settings.errorMinDifference(), text).ifPresent(findings::add);
    }
    return findings;
  }

  /** The version this one replaces: the newest of those that appeared before it. */
  static Optional<String> replaced(String version, long windowStart, Map<String, Marginals.Group> present,
      ReleaseHistory history) {
    Comparator<String> age = Comparator.<String>comparingLong(v -> history.firstSeen(v).orElse(windowStart))
        .thenComparing(VersionOrder.COMPARATOR);
    java.util.Set<String> known = new java.util.TreeSet<>(history.versions().keySet());
    known.addAll(present.keySet());
    return known.stream()
        .filter(v -> !v.equals(version) && age.compare(v, version) < 0)
        .max(age);
  }
}
