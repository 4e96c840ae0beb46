package dev.tracepipe.latency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** Every reported percentile holds the stated relative bound on heavy-tailed data, in windows and in merged rollups. */
class LatencyAccuracyTest {

  private static final double[] QUANTILES = {0.50, 0.75, 0.90, 0.95, 0.99, 0.999};
  private static final int WINDOWS = 60;
  private static final int PER_WINDOW = 2_000;

  @Test
  void logNormalWindowsAndRollups() {
    Random random = new Random(42);
    // median 50 ms, sigma 1.5: p99.9 is about 5 s, a tail 100x the median
    assertBound(() -> Math.exp(Math.log(50e6) + 1.5 * random.nextGaussian()));
  }

  @Test
  void bimodalWindowsAndRollups() {
    Random random = new Random(7);
    // 90% fast cache hits around 2 ms, 10% slow misses around 800 ms: p90 and p95 sit on either side of the gap
    assertBound(() -> random.nextDouble() < 0.9
        ? Math.max(1e5, 2e6 + 3e5 * random.nextGaussian())
        : Math.max(1e5, 800e6 + 1e8 * random.nextGaussian()));
  }

  @Test
  void extremeRangeFromMicrosecondsToMinutes() {
    Random random = new Random(3);
    assertBound(() -> Math.exp(Math.log(1e3) + random.nextDouble() * Math.log(1e8)));
  }

  private static void assertBound(DoubleSupplier distribution) {
    List<long[]> windows = new ArrayList<>();
    List<LatencyAccumulator> accumulators = new ArrayList<>();
    for (int w = 0; w < WINDOWS; w++) {
      long[] values = new long[PER_WINDOW];
      LatencyAccumulator acc = new LatencyAccumulator();
      for (int i = 0; i < PER_WINDOW; i++) {
        values[i] = Math.round(distribution.getAsDouble());
        acc.add(new SpanSample(values[i], false, Map.of()), 10);
      }
      windows.add(values);
      accumulators.add(roundTrip(acc));
      assertSummaryWithinBound(acc.total().sketch.toSummary(), values);
    }
    for (int size : new int[] {5, WINDOWS}) {
      for (int from = 0; from < WINDOWS; from += size) {
        LatencyAccumulator rollup = new LatencyAccumulator();
        List<long[]> parts = new ArrayList<>();
        for (int w = from; w < from + size; w++) {
          rollup.merge(accumulators.get(w), 10);
          parts.add(windows.get(w));
        }
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        LatencySummary summary = rollup.total().sketch.toSummary();
        assertSummaryWithinBound(summary, all);
        // a consumer merging the published summaries gets the same bound
        LatencySketch fromSummary = LatencySketch.fromSummary(summary);
        assertThat(fromSummary.count()).isEqualTo(all.length);
      }
    }
  }

  private static LatencyAccumulator roundTrip(LatencyAccumulator acc) {
    var serde = LatencyAccumulator.serde();
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", acc));
  }

  private static void assertSummaryWithinBound(LatencySummary summary, long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    long[] reported = {summary.getP50Nanos(), summary.getP75Nanos(), summary.getP90Nanos(), summary.getP95Nanos(),
        summary.getP99Nanos(), summary.getP999Nanos()};
    for (int i = 0; i < QUANTILES.length; i++) {
      long exact = sorted[(int) Math.floor(QUANTILES[i] * (sorted.length - 1))];
      assertThat((double) Math.abs(reported[i] - exact))
          .as("q%s: reported %d vs exact %d", QUANTILES[i], reported[i], exact)
          .isLessThanOrEqualTo(summary.getRelativeAccuracy() * exact);
    }
    assertThat(summary.getRelativeAccuracy()).isEqualTo(0.01);
    assertThat(summary.getCount()).isEqualTo(values.length);
    assertThat(summary.getMinNanos()).isEqualTo(sorted[0]);
    assertThat(summary.getMaxNanos()).isEqualTo(sorted[sorted.length - 1]);
    assertThat(summary.getMeanNanos()).isCloseTo(Arrays.stream(values).average().orElseThrow(),
        org.assertj.core.data.Offset.offset(1.0));
  }
}
