package dev.tracepipe.alerts.outliers;

import dev.tracepipe.alerts.outliers.TraceTree.Node;
import dev.tracepipe.avro.CriticalPathSegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The critical path of a trace as Jaeger's UI computes it: from the root, repeatedly step into the child that finished
 * last before the current point, with children clamped to their parent and asynchronous consumer branches left out.
 * One segment per span on the path, in the order the path first reaches it, carrying the span's self time on the path.
 */
final class CriticalPath {

  private CriticalPath() {}

  /** A piece of the path: [start, end) spent in node itself, whose interval clamped to its ancestors is given. */
  record Section(Node node, long start, long end, long clampedStart, long clampedEnd) {}

  static List<CriticalPathSegment> of(TraceTree tree) {
    Map<Node, CriticalPathSegment.Builder> byNode = new LinkedHashMap<>();
    for (Section s : sections(tree)) {
      CriticalPathSegment.Builder segment = byNode.computeIfAbsent(s.node(), n -> CriticalPathSegment.newBuilder()
          .setSpanId(n.span.getSpanId())
          .setService(n.span.getService())
          .setOperation(n.span.getName())
          .setStartNanos(s.clampedStart())
          .setEndNanos(s.clampedEnd())
          .setSelfTimeNanos(0));
      segment.setSelfTimeNanos(segment.getSelfTimeNanos() + s.end() - s.start());
    }
    List<CriticalPathSegment> segments = new ArrayList<>(byNode.size());
    byNode.values().forEach(b -> segments.add(b.build()));
    return segments;
  }

  /** The path's sections in chronological order; their lengths add up to the root's duration. */
  static List<Section> sections(TraceTree tree) {
    Node root = tree.root().orElse(null);
    if (root == null) {
      return List.of();
    }
    List<Section> reversed = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, root.start(), root.end()));
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      Frame child = frame.nextChild();
      if (child == null) {
        if (frame.returnTime > frame.start) {
          reversed.add(new Section(frame.node, frame.start, frame.returnTime, frame.start, frame.end));
        }
        stack.pop();
      } else {
        if (frame.returnTime > child.end) {
          reversed.add(new Section(frame.node, child.end, frame.returnTime, frame.start, frame.end));
        }
        frame.returnTime = child.start;
        stack.push(child);
      }
    }
    List<Section> sections = new ArrayList<>(reversed.size());
    for (int i = reversed.size() - 1; i >= 0; i--) {
      sections.add(reversed.get(i));
    }
    return sections;
  }

  /** A span being walked: its clamped interval, how far back the walk has come, and its children by end time. */
  private static final class Frame {
    final Node node;
    final long start;
    final long end;
    long returnTime;
    private List<Frame> childrenByEndDesc;
    private int next;

    Frame(Node node, long start, long end) {
      this.node = node;
      this.start = start;
      this.end = end;
      this.returnTime = end;
    }

    /** The child finishing last at or before the current return time, or null when none is left. */
    Frame nextChild() {
      if (childrenByEndDesc == null) {
        childrenByEndDesc = clampedChildren();
      }
      while (next < childrenByEndDesc.size()) {
        Frame candidate = childrenByEndDesc.get(next++);
        // Jaeger requires the child to end strictly before; back-to-back children (end == start) are sequential
        // work too, so they count here.
        if (candidate.end <= returnTime) {
          return candidate;
        }
      }
      return null;
    }

    private List<Frame> clampedChildren() {
      List<Frame> frames = new ArrayList<>(node.children.size());
      for (Node c : node.children) {
        if (c.isAsyncChild()) {
          continue;
        }
        long s = Math.max(c.start(), start);
        long e = Math.min(c.end(), end);
        if (e > s) {
          frames.add(new Frame(c, s, e));
        }
      }
      frames.sort(Comparator.comparingLong((Frame f) -> f.end).reversed()
          .thenComparingLong(f -> f.start)
          .thenComparing(f -> f.node.span.getSpanId()));
      return frames;
    }
  }
}
