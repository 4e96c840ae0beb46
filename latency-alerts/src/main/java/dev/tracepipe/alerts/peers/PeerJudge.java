package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.PeerMeasure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges one closed window of one operation: hosts against their peers, versions against the version they replace.
 * A host whose every version regressed is not also reported as a host outlier: the release explains it.
 */
final class PeerJudge {

  /**
   * @param findings the conditions that hold in this window
   * @param judged the alert ids that had enough data to be judged in this window, holding or not
   * @param versionsForgotten versions dropped from the history beyond its cap
   */
  record Judgement(List<Finding> findings, Set<String> judged, int versionsForgotten) {}

  private final PeerSettings settings;
  private final HostComparison hosts;
  private final ReleaseComparison releases;

  PeerJudge(PeerSettings settings) {
    this.settings = settings;
    this.hosts = new HostComparison(settings);
    this.releases = new ReleaseComparison(settings);
  }

  /** Judges the window and adds its versions to the history. */
  Judgement judge(PeerWindow window, ReleaseHistory history) {
    Set<String> judged = new HashSet<>();
    Map<String, Marginals.Group> versions = Marginals.of(window.cells(), settings.versionDimension());
    List<Finding> regressions = releases.judge(window, versions, history, judged);
    List<Finding> outliers = hosts.judge(window, judged);
    Map<String, Set<String>> versionsOfHost =
        Marginals.pairs(window.cells(), settings.hostDimension(), settings.versionDimension());
    outliers.removeIf(f -> {
      Set<String> hostVersions = versionsOfHost.getOrDefault(f.value(), Set.of());
      return !hostVersions.isEmpty() && regressed(regressions, f.measure()).containsAll(hostVersions);
    });
    List<Finding> findings = new ArrayList<>(regressions);
    findings.addAll(outliers);
    int forgotten = history.record(window.startMillis(), versions, settings.releaseMemoryWindows(),
        settings.maxVersions());
    return new Judgement(findings, judged, forgotten);
  }

  private static Set<String> regressed(List<Finding> regressions, PeerMeasure measure) {
    Set<String> versions = new HashSet<>();
    for (Finding f : regressions) {
      if (f.rule() == AlertRuleType.RELEASE_REGRESSION && f.measure() == measure) {
        versions.add(f.value());
      }
    }
    return versions;
  }
}
