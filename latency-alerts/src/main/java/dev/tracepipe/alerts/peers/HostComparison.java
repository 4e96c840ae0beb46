package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.Distribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares each host of an operation with the other hosts in the same window: the median of their p50, p99 and error
 * rate, the host itself left out so that a bad host cannot pull its own yardstick up.
 */
final class HostComparison {

  private final PeerSettings settings;

  HostComparison(PeerSettings settings) {
    this.settings = settings;
  }

  /**
   * @param judged receives the alert id of every condition that had enough data to be judged, holding or not
   */
  List<Finding> judge(PeerWindow window, Set<String> judged) {
    String dimension = settings.hostDimension();
    Map<String, Marginals.Group> hosts = Marginals.of(window.cells(), dimension);
    hosts.values().removeIf(g -> g.count() < settings.minSamples());
    List<Finding> findings = new ArrayList<>();
    if (hosts.size() < settings.minPeers() + 1) {
      return findings;
    }
    for (Map.Entry<String, Marginals.Group> host : hosts.entrySet()) {
      List<String> peers = new ArrayList<>(hosts.keySet());
      peers.remove(host.getKey());
      List<Marginals.Group> others = peers.stream().map(hosts::get).toList();
      Distribution peerDistribution = new Distribution(
          others.stream().mapToLong(Marginals.Group::count).sum(),
          others.stream().mapToLong(Marginals.Group::errors).sum(),
          Marginals.median(others.stream().map(g -> g.sketch().quantile(0.5)).toList()),
          Marginals.median(others.stream().map(g -> g.sketch().quantile(0.99)).toList()),
          Marginals.median(others.stream().map(g -> g.self().quantile(0.5)).toList()),
          Marginals.median(others.stream().map(g -> g.self().quantile(0.99)).toList()));
      double peersRate = Marginals.medianRate(others.stream().map(Marginals.Group::errorRate).toList());
      Distribution subject = Finding.distribution(host.getValue());
      String text = "the median of " + peers.size() + " other hosts";
      judged.add(Finding.alertId(AlertRuleType.HOST_OUTLIER, window, dimension, host.getKey(),
          dev.tracepipe.avro.PeerMeasure.LATENCY));
      judged.add(Finding.alertId(AlertRuleType.HOST_OUTLIER, window, dimension, host.getKey(),
          dev.tracepipe.avro.PeerMeasure.ERROR_RATE));
      Finding.latency(AlertRuleType.HOST_OUTLIER, window, dimension, host.getKey(), peers, subject, peerDistribution,
          settings.hostFactor(), text).ifPresent(findings::add);
      Finding.errorRate(AlertRuleType.HOST_OUTLIER, window, dimension, host.getKey(), peers, subject,
          peerDistribution, peersRate, settings.errorFactor(), settings.errorMinDifference(), text)
          .ifPresent(findings::add);
    }
    return findings;
  }
}
