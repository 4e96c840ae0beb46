package dev.tracepipe.alerts.outliers;

import static dev.tracepipe.latency.TestTraces.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.Baseline;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutlierRulesTest {

  private static final Baseline BASELINE = new Baseline(500L, ms(20), ms(40), ms(50));
  private final SloThresholds slo = SloThresholds.fromProperties(
      Map.of("alerts.slo.image-gallery.GET /images", "100ms"));
  private final OutlierRules rules = new OutlierRules(3.0, 100, slo, true);

  @Test
  void adaptiveRuleFiresAboveKTimesP99() {
    assertThat(rules.evaluate("web", "GET /", ms(150), 0, BASELINE)).isEmpty();
    OutlierRules.Verdict v = rules.evaluate("web", "GET /", ms(151), 0, BASELINE).orElseThrow();
    assertThat(v.type()).isEqualTo(AlertRuleType.ADAPTIVE_BASELINE);
    assertThat(v.thresholdNanos()).isEqualTo(ms(150));
    assertThat(v.description()).isEqualTo("duration 151.0ms > 3 × p99 50.0ms (baseline of 500 samples)");
  }

  @Test
  void adaptiveRuleWaitsForTheMinimumSampleCount() {
    Baseline young = new Baseline(99L, ms(20), ms(40), ms(50));
    assertThat(rules.evaluate("web", "GET /", ms(1000), 0, young)).isEmpty();
    assertThat(rules.evaluate("web", "GET /", ms(1000), 0, null)).isEmpty();
  }

  @Test
  void sloRuleFiresWithoutAnyBaselineAndWinsOverTheAdaptiveOne() {
    OutlierRules.Verdict v = rules.evaluate("image-gallery", "GET /images", ms(101), 0, null).orElseThrow();
    assertThat(v.type()).isEqualTo(AlertRuleType.SLO);
    assertThat(v.thresholdNanos()).isEqualTo(ms(100));
    assertThat(rules.evaluate("image-gallery", "GET /images", ms(1000), 0, BASELINE).orElseThrow().type())
        .isEqualTo(AlertRuleType.SLO);
    assertThat(rules.evaluate("image-gallery", "GET /images", ms(100), 0, null)).isEmpty();
  }

  @Test
  void errorRuleFiresOnlyWhenEnabled() {
    assertThat(rules.evaluate("web", "GET /", ms(1), 2, BASELINE).orElseThrow().description())
        .isEqualTo("2 spans with error status");
    OutlierRules quiet = new OutlierRules(3.0, 100, slo, false);
    assertThat(quiet.evaluate("web", "GET /", ms(1), 2, BASELINE)).isEmpty();
  }

  @Test
  void nonsenseSettingsAreRejected() {
    assertThatThrownBy(() -> new OutlierRules(0, 100, slo, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutlierRules(3, 0, slo, false)).isInstanceOf(IllegalArgumentException.class);
  }
}
