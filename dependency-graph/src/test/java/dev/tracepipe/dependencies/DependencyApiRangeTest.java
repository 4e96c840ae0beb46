package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyApiRangeTest {

  static HttpRequest get(Map<String, String> query) {
    return HttpRequest.of("GET", "/api/v2/dependencies", Map.of(), query, Map.of(), new byte[0]);
  }

  @Test
  void windowsStartingWithinLookbackBeforeEndTs() {
    DependencyApi.Range range = DependencyApi.range(get(Map.of("endTs", "1700000000000", "lookback", "60000")));

    assertThat(range).isEqualTo(new DependencyApi.Range(1_699_999_940_000L, 1_700_000_000_000L));
    assertThat(range.query()).isEqualTo("endTs=1700000000000&lookback=60000");
  }

  @Test
  void lookbackDefaultsToOneDay() {
    DependencyApi.Range range = DependencyApi.range(get(Map.of("endTs", "1700000000000")));

    assertThat(range.to() - range.from()).isEqualTo(86_400_000L);
  }

  @Test
  void badParametersAre400() {
    assertThatThrownBy(() -> DependencyApi.range(get(Map.of("endTs", "soon"))))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> DependencyApi.range(get(Map.of("endTs", "1", "lookback", "-5"))))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
