package dev.tracepipe.alerts.outliers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SloThresholdsTest {

  @Test
  void serviceEndsAtTheFirstDotAndTheOperationMayHoldDotsAndSpaces() {
    SloThresholds slo = SloThresholds.fromProperties(Map.of(
        "alerts.slo.image-gallery.GET /images", "100ms",
        "alerts.slo.search.query v1.2", "1.5s",
        "tracepipe.other", "ignored"));
    assertThat(slo.thresholdNanos("image-gallery", "GET /images")).contains(100_000_000L);
    assertThat(slo.thresholdNanos("search", "query v1.2")).contains(1_500_000_000L);
    assertThat(slo.thresholdNanos("search", "other")).isEmpty();
  }

  @Test
  void formerPrefixIsStillReadForOneRelease() {
    SloThresholds slo = SloThresholds.fromProperties(Map.of("tracepipe.alerts.slo.web.GET /x", "250ms"));
    assertThat(slo.thresholdNanos("web", "GET /x")).contains(250_000_000L);
  }

  @Test
  void quotedServiceMayHoldDots() {
    SloThresholds slo = SloThresholds.fromProperties(Map.of("alerts.slo.\"web.eu\".GET /x", "250us"));
    assertThat(slo.thresholdNanos("web.eu", "GET /x")).contains(250_000L);
  }

  @Test
  void exactOperationWinsOverTheServiceWildcard() {
    SloThresholds slo = SloThresholds.fromProperties(Map.of(
        "alerts.slo.checkout.*", "2s",
        "alerts.slo.checkout.POST /pay", "300ms"));
    assertThat(slo.thresholdNanos("checkout", "POST /pay")).contains(300_000_000L);
    assertThat(slo.thresholdNanos("checkout", "GET /cart")).contains(2_000_000_000L);
  }

  @Test
  void malformedEntriesFailNamingTheKey() {
    assertThatThrownBy(() -> SloThresholds.fromProperties(Map.of("alerts.slo.web", "1s")))
        .hasMessageContaining("alerts.slo.web");
    assertThatThrownBy(() -> SloThresholds.fromProperties(Map.of("alerts.slo.web.GET /", "100")))
        .hasMessageContaining("unit");
    assertThatThrownBy(() -> SloThresholds.fromProperties(Map.of("alerts.slo.\"web.GET /", "1s")))
        .hasMessageContaining("quoted");
    assertThatThrownBy(() -> SloThresholds.fromProperties(Map.of("alerts.slo.web.GET /", "0ms")))
        .hasMessageContaining("positive");
  }
}
