package dev.tracepipe.dependencies;

import dev.tracepipe.platform.BoundedLog;
import dev.tracepipe.platform.time.TumblingWindowProcessor;
import dev.tracepipe.platform.time.WindowCombiner;
import org.slf4j.LoggerFactory;

/**
 * How edge changes add up in a window: folds of new calls (positive calls) and single corrections (a retraction, or an
 * error state changed: no calls added) arrive from {@link #folds()}; a late fold of new calls counts in the current
 * window, a correction in its own; past {@code maxEdges} distinct edges in a window, new edges share one
 * {@link EdgeKey#OVERFLOW} edge per connection type.
 */
final class EdgeWindows implements TumblingWindowProcessor.Policy<EdgeKey, EdgeStats, EdgeStats> {
  private static final BoundedLog LOG = new BoundedLog(LoggerFactory.getLogger(EdgeWindows.class));

  private final int maxEdges;
  private final ServiceGraphMetrics metrics;

  EdgeWindows(int maxEdges, ServiceGraphMetrics metrics) {
    this.maxEdges = maxEdges;
    this.metrics = metrics;
  }

  @Override
  public EdgeStats initial() {
    return new EdgeStats();
  }

  @Override
  public EdgeStats add(EdgeKey edge, EdgeStats part, EdgeStats stats) {
    return stats.merge(part);
  }

  // A retraction or error correction must hit the window its call was counted in, closed or not.
  @Override
  public boolean relocateWhenLate(EdgeStats part) {
    return part.calls() > 0;
  }

  /**
   * New calls folded per edge and window between commits; a correction travels alone, so that it reaches the window
   * of its call even when that window has closed, and is never counted in the current one as a new call would be.
   */
  static WindowCombiner.Fold<EdgeDelta, EdgeStats> folds() {
    return new WindowCombiner.Fold<>() {
      @Override
      public EdgeStats initial() {
        return new EdgeStats();
      }

      @Override
      public EdgeStats add(EdgeDelta delta, EdgeStats fold) {
        return fold.add(delta);
      }

      @Override
      public boolean folds(EdgeDelta delta) {
        return delta.isNewCall();
      }
    };
  }

  @Override
  public int maxKeys() {
    return maxEdges;
  }

  @Override
  public EdgeKey overflowKey(EdgeKey edge) {
    return edge.overflow();
  }

  @Override
  public void overflowed(EdgeKey edge, EdgeStats part) {
    if (part.calls() > 0) {
      metrics.edgeOverflow(part.calls());
      LOG.warn("a window reached " + maxEdges + " edges; calls of further edges are counted in the overflow edge",
          edge);
    }
  }
}
