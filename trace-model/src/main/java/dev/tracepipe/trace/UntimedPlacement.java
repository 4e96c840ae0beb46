package dev.tracepipe.trace;

import dev.tracepipe.avro.Span;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gives an untimed span that no timed piece completed a position from its place in the tree: it covers its timed
 * children, or else starts with its parent. It stays flagged {@code untimed}: the times are derived, not measured.
 */
public final class UntimedPlacement {

  private UntimedPlacement() {}

  /** The spans with untimed ones placed; spans with nothing timed around them keep their arrival time. */
  public static List<Span> place(List<Span> merged) {
    Objects.requireNonNull(merged, "merged == null");
    if (merged.stream().noneMatch(Span::getUntimed)) return merged;
    SpanNode root = SpanTree.ofMerged(merged);
    List<SpanNode> breadthFirst = new ArrayList<>();
    root.forEach(breadthFirst::add);
    Map<Span, Span> placed = new IdentityHashMap<>();
    // Bottom up: a span covers its children, which are placed before it.
    for (int i = breadthFirst.size() - 1; i >= 0; i--) {
      SpanNode node = breadthFirst.get(i);
      if (node.span().getUntimed()) fromChildren(node, placed);
    }
    // Top down: what is still unplaced starts with its parent.
    for (SpanNode node : breadthFirst) {
      if (node.span().getUntimed() && !placed.containsKey(node.span())) fromParent(node, placed);
    }
    List<Span> result = new ArrayList<>(merged.size());
    for (Span span : merged) result.add(placed.getOrDefault(span, span));
    return result;
  }

  private static void fromChildren(SpanNode node, Map<Span, Span> placed) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (SpanNode child : node.children()) {
      Span timed = timedOrPlaced(child.span(), placed);
      if (timed == null) continue;
      start = Math.min(start, timed.getStartTimeNanos());
      end = Math.max(end, timed.getStartTimeNanos() + Math.max(0, timed.getDurationNanos()));
    }
    if (start == Long.MAX_VALUE) return;
    long duration = Math.max(node.span().getDurationNanos(), end - start);
    placed.put(node.span(), Span.newBuilder(node.span()).setStartTimeNanos(start).setDurationNanos(duration).build());
  }

  private static void fromParent(SpanNode node, Map<Span, Span> placed) {
    SpanNode parent = node.parent();
    if (parent == null || parent.synthetic()) return;
    Span timed = timedOrPlaced(parent.span(), placed);
    if (timed == null) return;
    placed.put(node.span(), Span.newBuilder(node.span()).setStartTimeNanos(timed.getStartTimeNanos()).build());
  }

  private static Span timedOrPlaced(Span span, Map<Span, Span> placed) {
    if (!span.getUntimed()) return span;
    return placed.get(span);
  }
}
