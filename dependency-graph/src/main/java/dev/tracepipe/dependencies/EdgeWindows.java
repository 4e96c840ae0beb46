package dev.tracepipe.dependencies;

import dev.tracepipe.platform.BoundedLog;
import dev.tracepipe.platform.time.TumblingWindowProcessor;
import org.slf4j.LoggerFactory;

/**
 * How edge changes add up in a window: a late new call counts in the current window, a correction in its own; past
 * {@code maxEdges} distinct edges in a window, new edges share one {@link EdgeKey#OVERFLOW} edge per connection type.
 */
final class EdgeWindows implements TumblingWindowProcessor.Policy<EdgeKey, EdgeDelta, EdgeStats> {
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
  public EdgeStats add(EdgeKey edge, EdgeDelta delta, EdgeStats stats) {
    return stats.add(delta);
  }

  // A retraction or error correction must hit the window its call was counted in, closed or not.
  @Override
  public boolean relocateWhenLate(EdgeDelta delta) {
    return delta.isNewCall();
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
  public void overflowed(EdgeKey edge, EdgeDelta delta) {
    if (delta.isNewCall()) {
      metrics.edgeOverflow();
      LOG.warn("a window reached " + maxEdges + " edges; calls of further edges are counted in the overflow edge",
          edge);
    }
  }
}
