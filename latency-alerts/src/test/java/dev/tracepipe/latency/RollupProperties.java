package dev.tracepipe.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Merged percentiles must not depend on the order windows arrive in. */
class RollupProperties {

  @Property(tries = 50)
  void rollupDoesNotDependOnMergeOrder(@ForAll long seed) {
    Random random = new Random(seed);
    List<LatencyAccumulator> windows = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      LatencyAccumulator acc = new LatencyAccumulator();
      for (int i = 0; i < 50; i++) {
        acc.add(new SpanSample(Math.round(Math.exp(10 + 3 * random.nextGaussian())), random.nextInt(10) == 0,
            Map.of("service.version", "v" + random.nextInt(3))), 2);
      }
      windows.add(acc);
    }
    LatencyAccumulator forward = new LatencyAccumulator();
    windows.forEach(w -> forward.merge(w, 2));
    LatencyAccumulator backward = new LatencyAccumulator();
    for (int w = windows.size() - 1; w >= 0; w--) {
      backward.merge(windows.get(w), 2);
    }
    var f = forward.total().sketch.toSummary();
    var b = backward.total().sketch.toSummary();
    assertThat(List.of(b.getCount(), b.getMinNanos(), b.getMaxNanos(), b.getP50Nanos(), b.getP99Nanos(),
        b.getP999Nanos())).isEqualTo(List.of(f.getCount(), f.getMinNanos(), f.getMaxNanos(), f.getP50Nanos(),
        f.getP99Nanos(), f.getP999Nanos()));
    assertThat(backward.total().errors).isEqualTo(forward.total().errors);
  }
}
