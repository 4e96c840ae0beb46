package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.CallDifference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Calls a trace makes more or less often than traces of its root operation usually do. A count differs when it is
 * at least half a call away from the usual mean and further than {@code sigmas} standard deviations, so a call that
 * normally happens in 30% of traces is not reported each time it happens.
 */
final class ShapeDiff {

  private final long minSamples;
  private final double sigmas;
  private final int maxDifferences;

  ShapeDiff(long minSamples, double sigmas, int maxDifferences) {
    if (minSamples < 1 || sigmas < 0 || maxDifferences < 0) {
      throw new IllegalArgumentException("minSamples >= 1, sigmas >= 0, maxDifferences >= 0 required: "
          + minSamples + ", " + sigmas + ", " + maxDifferences);
    }
    this.minSamples = minSamples;
    this.sigmas = sigmas;
    this.maxDifferences = maxDifferences;
  }

  List<CallDifference> compare(CallShape usual, Map<CallKey, Integer> actual) {
    Objects.requireNonNull(usual, "usual == null");
    Objects.requireNonNull(actual, "actual == null");
    if (usual.samples() < minSamples) {
      return List.of();
    }
    Set<CallKey> keys = new TreeSet<>(usual.calls().keySet());
    keys.addAll(actual.keySet());
    List<CallDifference> differences = new ArrayList<>();
    for (CallKey key : keys) {
      CallShape.Moments m = usual.calls().getOrDefault(key, new CallShape.Moments(0, 0));
      int calls = actual.getOrDefault(key, 0);
      double gap = Math.abs(calls - m.mean());
      if (gap >= 0.5 && gap > sigmas * m.stdDev()) {
        differences.add(CallDifference.newBuilder()
            .setService(key.service())
            .setOperation(key.operation())
            .setExpectedCalls(Math.round(m.mean() * 100) / 100.0)
            .setActualCalls(calls)
            .build());
      }
    }
    differences.sort(Comparator.comparingDouble((CallDifference d) -> -Math.abs(d.getActualCalls() - d.getExpectedCalls()))
        .thenComparing(CallDifference::getService).thenComparing(CallDifference::getOperation));
    return differences.size() > maxDifferences ? List.copyOf(differences.subList(0, maxDifferences)) : differences;
  }
}
