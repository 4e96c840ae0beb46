package dev.tracepipe.platform.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySketchTest {
  private static final double[] QUANTILES = {0.5, 0.75, 0.9, 0.95, 0.99, 0.999};

  @Test
  void quantilesOfALogNormalStayWithinTheRelativeBound() {
    Random random = new Random(42);
    long[] values = LongStream.range(0, 100_000)
        .map(i -> Math.round(Math.exp(16 + 1.5 * random.nextGaussian()))).toArray();
    assertWithinBound(sketchOf(values), values);
  }

  @Test
  void mergedSketchesHoldTheBoundOverTheUnion() {
    Random random = new Random(7);
    long[] fast = LongStream.range(0, 50_000).map(i -> 1_000_000 + random.nextInt(200_000)).toArray();
    long[] slow = LongStream.range(0, 5_000).map(i -> 900_000_000 + random.nextInt(300_000_000)).toArray();
    LatencySketch merged = sketchOf(fast).merge(sketchOf(slow));
    long[] all = LongStream.concat(Arrays.stream(fast), Arrays.stream(slow)).toArray();
    assertWithinBound(merged, all);
    assertThat(merged.count()).isEqualTo(all.length);
  }

  @Test
  void survivesTheSummaryAndStateEncodings() {
    long[] values = LongStream.rangeClosed(1, 10_000).map(i -> i * 1_000).toArray();
    LatencySketch sketch = sketchOf(values);

    LatencySketch fromSummary = LatencySketch.fromSummary(sketch.toSummary());
    LatencySketch fromState = LatencySketch.fromBytes(sketch.toBytes());

    for (LatencySketch restored : new LatencySketch[] {fromSummary, fromState}) {
      assertThat(restored.count()).isEqualTo(10_000);
      assertThat(restored.min()).isEqualTo(1_000);
      assertThat(restored.max()).isEqualTo(10_000_000);
      assertThat(restored.quantile(0.99)).isEqualTo(sketch.quantile(0.99));
      assertWithinBound(restored, values);
    }
  }

  @Test
  void anEmptySketchReportsZeros() {
    LatencySketch empty = new LatencySketch();
    assertThat(empty.toSummary().getCount()).isZero();
    assertThat(empty.quantile(0.99)).isZero();
    assertThat(LatencySketch.fromBytes(empty.toBytes()).count()).isZero();
  }

  private static LatencySketch sketchOf(long[] values) {
    LatencySketch sketch = new LatencySketch();
    for (long v : values) {
      sketch.add(v);
    }
    return sketch;
  }

  /** The exact quantile by the same rank rule DDSketch uses: the value at rank floor(q * (n - 1)). */
  private static void assertWithinBound(LatencySketch sketch, long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double q : QUANTILES) {
      long exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      long estimate = sketch.quantile(q);
      assertThat((double) Math.abs(estimate - exact))
          .as("p%s: estimate %d vs exact %d", q * 100, estimate, exact)
          .isLessThanOrEqualTo(LatencySketch.RELATIVE_ACCURACY * exact + 1);
    }
  }

  @Test
  void stateEncodingIsTheBigEndianHeaderThenThePortableSketchEncoding() {
    LatencySketch sketch = new LatencySketch().add(10).add(20_000).add(3_000_000);
    java.nio.ByteBuffer portable = sketch.toSummary().getSketch().duplicate();
    java.nio.ByteBuffer expected = java.nio.ByteBuffer.allocate(3 * Long.BYTES + portable.remaining())
        .putLong(10).putLong(3_000_000).putLong(3_020_010).put(portable);
    assertThat(sketch.toBytes()).isEqualTo(expected.array());
    assertThat(new LatencySketch().add(5).toBytes()).as("a second encoding on the same thread starts empty")
        .hasSize(3 * Long.BYTES + new LatencySketch().add(5).toSummary().getSketch().remaining());
  }
}
