package dev.tracepipe.alerts.outliers;

import dev.tracepipe.alerts.outliers.TraceTree.Node;
import dev.tracepipe.avro.Baseline;
import dev.tracepipe.avro.BlamedSpan;
import dev.tracepipe.avro.CriticalPathSegment;
import dev.tracepipe.latency.OperationKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which spans made a trace slow: those whose duration most exceeds their own operation's baseline p99, counting only
 * the excess their synchronous children do not already explain (so a slow database call is blamed, not every caller
 * waiting on it). Without any usable baseline, the spans with the most self time on the critical path are named.
 */
final class Blame {

  private Blame() {}

  /**
   * @param baselines the trusted baseline of an operation, or null when it has none (yet)
   */
  static List<BlamedSpan> of(TraceTree tree, Function<OperationKey, Baseline> baselines,
      List<CriticalPathSegment> criticalPath, int maxEntries) {
    List<BlamedSpan> byBaseline = byBaseline(tree, baselines, maxEntries);
    return byBaseline.isEmpty() ? byCriticalPath(tree, baselines, criticalPath, maxEntries) : byBaseline;
  }

  private record Candidate(Node node, long p99, long excess, long unexplained) {}

  private static List<BlamedSpan> byBaseline(TraceTree tree, Function<OperationKey, Baseline> baselines,
      int maxEntries) {
    Map<Node, Long> excess = new HashMap<>();
    Map<Node, Long> p99s = new HashMap<>();
    for (Node node : tree.nodes()) {
      Baseline baseline = baselines.apply(node.operation());
      if (baseline != null && baseline.getP99Nanos() > 0) {
        p99s.put(node, baseline.getP99Nanos());
        excess.put(node, node.span.getDurationNanos() - baseline.getP99Nanos());
      }
    }
    List<Candidate> candidates = new ArrayList<>();
    for (Map.Entry<Node, Long> e : excess.entrySet()) {
      Node node = e.getKey();
      long own = e.getValue();
      if (own <= 0) {
        continue;
      }
      long unexplained = own - explained(node, excess);
      if (unexplained > 0) {
        candidates.add(new Candidate(node, p99s.get(node), own, unexplained));
      }
    }
    candidates.sort(Comparator.comparingLong(Candidate::unexplained).reversed()
        .thenComparing(Comparator.comparingLong(Candidate::excess).reversed())
        .thenComparing(c -> c.node().span.getSpanId()));
    List<BlamedSpan> blamed = new ArrayList<>();
    for (Candidate c : candidates.subList(0, Math.min(maxEntries, candidates.size()))) {
      blamed.add(blamedSpan(c.node(), c.p99(), c.excess(), (double) c.node().span.getDurationNanos() / c.p99()));
    }
    return blamed;
  }

  /**
   * The excess of a span that its synchronous children account for. A child without a baseline (one not yet published,
   * say) passes on what its own descendants account for, so a caller is never blamed for a slow call two levels down.
   */
  private static long explained(Node node, Map<Node, Long> excess) {
    long explained = 0;
    for (Node child : node.children) {
      if (!child.isAsyncChild()) {
        Long own = excess.get(child);
        explained += own != null ? Math.max(0, own) : explained(child, excess);
      }
    }
    return explained;
  }

  /** Fallback: self time on the critical path is where the time went, whatever the norm is. */
  private static List<BlamedSpan> byCriticalPath(TraceTree tree, Function<OperationKey, Baseline> baselines,
      List<CriticalPathSegment> criticalPath, int maxEntries) {
    Node root = tree.root().orElse(null);
    if (root == null) {
      return List.of();
    }
    long total = Math.max(1, root.end() - root.start());
    Map<String, Node> byId = new HashMap<>();
    for (Node node : tree.nodes()) {
      byId.putIfAbsent(node.span.getSpanId(), node);
    }
    List<BlamedSpan> blamed = new ArrayList<>();
    criticalPath.stream()
        .filter(s -> s.getSelfTimeNanos() > 0)
        .sorted(Comparator.comparingLong(CriticalPathSegment::getSelfTimeNanos).reversed()
            .thenComparing(CriticalPathSegment::getSpanId))
        .limit(maxEntries)
        .forEach(s -> {
          Node node = byId.get(s.getSpanId());
          Baseline baseline = node == null ? null : baselines.apply(node.operation());
          blamed.add(BlamedSpan.newBuilder()
              .setSpanId(s.getSpanId())
              .setService(s.getService())
              .setOperation(s.getOperation())
              .setDurationNanos(node == null ? s.getEndNanos() - s.getStartNanos() : node.span.getDurationNanos())
              .setBaselineP99Nanos(baseline == null ? null : baseline.getP99Nanos())
              .setExcessNanos(s.getSelfTimeNanos())
              .setRatio((double) s.getSelfTimeNanos() / total)
              .build());
        });
    return blamed;
  }

  private static BlamedSpan blamedSpan(Node node, long p99, long excess, double ratio) {
    return BlamedSpan.newBuilder()
        .setSpanId(node.span.getSpanId())
        .setService(node.span.getService())
        .setOperation(node.span.getName())
        .setDurationNanos(node.span.getDurationNanos())
        .setBaselineP99Nanos(p99)
        .setExcessNanos(excess)
        .setRatio(ratio)
        .build();
  }
}
