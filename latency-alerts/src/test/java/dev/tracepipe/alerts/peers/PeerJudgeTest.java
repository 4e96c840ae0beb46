package dev.tracepipe.alerts.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.AlertStatus;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.PeerMeasure;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerJudgeTest {

  private static final PeerSettings SETTINGS = new PeerSettings(true, "host.name", "service.version", 20, 2, 3.0, 2.0,
      2.0, 0.05, 3, 5, Duration.ofSeconds(30), 2, 10);
  private final Random random = new Random(7);

  @Test
  void slowHostIsAnOutlierAgainstTheMedianOfTheOthers() {
    PeerWindow window = window(0, cell("h1", "1.0", 100, 10.0, 0), cell("h2", "1.0", 100, 1.0, 0),
        cell("h3", "2.0", 100, 1.0, 0), cell("h4", "2.0", 100, 1.0, 0));
    PeerJudge.Judgement j = new PeerJudge(SETTINGS).judge(window, new ReleaseHistory());
    assertThat(j.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(AlertRuleType.HOST_OUTLIER);
      assertThat(f.value()).isEqualTo("h1");
      assertThat(f.peerValues()).containsExactly("h2", "h3", "h4");
      assertThat(f.ratio()).isGreaterThan(5);
    });
  }

  @Test
  void healthyHostsRaiseNothing() {
    PeerWindow window = window(0, cell("h1", "1.0", 100, 1.0, 1), cell("h2", "1.0", 100, 1.0, 0),
        cell("h3", "2.0", 100, 1.0, 2), cell("h4", "2.0", 100, 1.0, 0));
    assertThat(new PeerJudge(SETTINGS).judge(window, new ReleaseHistory()).findings()).isEmpty();
  }

  @Test
  void hostWithTooFewSamplesOrTooFewPeersIsNotJudged() {
    PeerWindow fewSamples = window(0, cell("h1", "1.0", 10, 10.0, 0), cell("h2", "1.0", 100, 1.0, 0),
        cell("h3", "1.0", 100, 1.0, 0));
    assertThat(new PeerJudge(SETTINGS).judge(fewSamples, new ReleaseHistory()).findings()).isEmpty();
    PeerWindow onePeer = window(0, cell("h1", "1.0", 100, 10.0, 0), cell("h2", "1.0", 100, 1.0, 0));
    assertThat(new PeerJudge(SETTINGS).judge(onePeer, new ReleaseHistory()).findings()).isEmpty();
  }

  @Test
  void hostErrorRateAboveItsPeers() {
    PeerWindow window = window(0, cell("h1", "1.0", 100, 1.0, 30), cell("h2", "1.0", 100, 1.0, 1),
        cell("h3", "1.0", 100, 1.0, 0));
    assertThat(new PeerJudge(SETTINGS).judge(window, new ReleaseHistory()).findings())
        .extracting(Finding::measure, Finding::value).containsExactly(org.assertj.core.groups.Tuple.tuple(
            PeerMeasure.ERROR_RATE, "h1"));
  }

  @Test
  void slowerNewVersionDuringRolloutRegressesAndItsHostsAreNotOutliers() {
    PeerWindow window = window(0, cell("h1", "1.9", 100, 1.0, 0), cell("h2", "1.9", 100, 1.0, 0),
        cell("h3", "1.10", 100, 4.0, 0), cell("h4", "1.10", 100, 4.0, 0));
    PeerJudge.Judgement j = new PeerJudge(SETTINGS).judge(window, new ReleaseHistory());
    assertThat(j.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(AlertRuleType.RELEASE_REGRESSION);
      assertThat(f.value()).isEqualTo("1.10");
      assertThat(f.peerValues()).containsExactly("1.9");
    });
  }

  @Test
  void fasterNewVersionAndSlowOldHostRaiseOnlyTheHost() {
    PeerWindow window = window(0, cell("h1", "1.0", 100, 10.0, 0), cell("h2", "1.0", 100, 1.0, 0),
        cell("h3", "2.0", 100, 1.0, 0), cell("h4", "2.0", 100, 1.0, 0));
    assertThat(new PeerJudge(SETTINGS).judge(window, new ReleaseHistory()).findings())
        .extracting(Finding::rule).containsExactly(AlertRuleType.HOST_OUTLIER);
  }

  @Test
  void newVersionAfterACutoverIsComparedWithTheLastWindowsBeforeIt() {
    PeerJudge judge = new PeerJudge(SETTINGS);
    ReleaseHistory history = new ReleaseHistory();
    judge.judge(window(0, cell("h1", "1.0", 100, 1.0, 0)), history);
    judge.judge(window(10_000, cell("h1", "1.0", 100, 1.0, 0)), history);
    PeerJudge.Judgement j = judge.judge(window(20_000, cell("h1", "2.0", 100, 5.0, 0)), history);
    assertThat(j.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(AlertRuleType.RELEASE_REGRESSION);
      assertThat(f.value()).isEqualTo("2.0");
      assertThat(f.peers().getCount()).isEqualTo(200);
    });
  }

  @Test
  void firingRepeatsAtTheIntervalThenResolvesWhenJudgedHealthy() {
    PeerJudge judge = new PeerJudge(SETTINGS);
    AlertLifecycle lifecycle = new AlertLifecycle(SETTINGS);
    ReleaseHistory history = new ReleaseHistory();
    ActiveAlerts active = new ActiveAlerts();
    List<LatencyAlert> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      PeerWindow w = window(i * 10_000L, cell("h1", "1.0", 100, 10.0, 0), cell("h2", "1.0", 100, 1.0, 0),
          cell("h3", "1.0", 100, 1.0, 0));
      sent.addAll(lifecycle.step(active, w, judge.judge(w, history)).alerts());
    }
    // Windows end at 10 s .. 50 s: first sent at 10 s, again once 30 s have passed (40 s).
    assertThat(sent).extracting(LatencyAlert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.FIRING);
    assertThat(sent.get(1).getHeldForMillis()).isEqualTo(40_000);
    PeerWindow healthy = window(50_000, cell("h1", "1.0", 100, 1.0, 0), cell("h2", "1.0", 100, 1.0, 0),
        cell("h3", "1.0", 100, 1.0, 0));
    List<LatencyAlert> after = lifecycle.step(active, healthy, judge.judge(healthy, history)).alerts();
    assertThat(after).singleElement().satisfies(a -> {
      assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(a.getPeers().getValue()).isEqualTo("h1");
      assertThat(a.getHeldForMillis()).isEqualTo(50_000);
    });
    assertThat(active.isEmpty()).isTrue();
    assertThat(ActiveAlerts.serde().deserializer().deserialize("t",
        ActiveAlerts.serde().serializer().serialize("t", active)).isEmpty()).isTrue();
  }

  @Test
  void unjudgedConditionResolvesAfterStaleWindows() {
    PeerJudge judge = new PeerJudge(SETTINGS);
    AlertLifecycle lifecycle = new AlertLifecycle(SETTINGS);
    ReleaseHistory history = new ReleaseHistory();
    ActiveAlerts active = new ActiveAlerts();
    PeerWindow slow = window(0, cell("h1", "1.0", 100, 10.0, 0), cell("h2", "1.0", 100, 1.0, 0),
        cell("h3", "1.0", 100, 1.0, 0));
    assertThat(lifecycle.step(active, slow, judge.judge(slow, history)).alerts()).hasSize(1);
    ActiveAlerts copy = ActiveAlerts.serde().deserializer().deserialize("t",
        ActiveAlerts.serde().serializer().serialize("t", active));
    PeerWindow quiet = window(10_000, cell("h2", "1.0", 100, 1.0, 0));
    assertThat(lifecycle.step(copy, quiet, judge.judge(quiet, history)).alerts()).isEmpty();
    PeerWindow quiet2 = window(20_000, cell("h2", "1.0", 100, 1.0, 0));
    assertThat(lifecycle.step(copy, quiet2, judge.judge(quiet2, history)).alerts())
        .extracting(LatencyAlert::getStatus).containsExactly(AlertStatus.RESOLVED);
  }

  @Test
  void versionsOrderByTheirNumbers() {
    assertThat(VersionOrder.compare("1.10.0", "1.9.3")).isPositive();
    assertThat(VersionOrder.compare("v2", "v10")).isNegative();
    assertThat(VersionOrder.compare("1.0", "1.0")).isZero();
  }

  private static PeerWindow window(long start, DimensionCell... cells) {
    return new PeerWindow("payment", "charge", "SERVER", start, start + 10_000, List.of(cells));
  }

  private DimensionCell cell(String host, String version, int count, double slowdown, int errors) {
    LatencySketch sketch = new LatencySketch();
    for (int i = 0; i < count; i++) {
      sketch.add(Math.round(10_000_000 * slowdown * Math.exp(0.3 * random.nextGaussian())));
    }
    return new DimensionCell(Map.of("host.name", host, "service.version", version), sketch, errors, sketch);
  }
}
