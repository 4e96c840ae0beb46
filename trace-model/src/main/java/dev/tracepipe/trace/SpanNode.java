package dev.tracepipe.trace;

import dev.tracepipe.avro.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** One span in a trace's tree; a synthetic root holds no span and stands for a missing real root. */
public final class SpanNode {
  private final Span span;
  private SpanNode parent;
  private final List<SpanNode> children = new ArrayList<>();

  SpanNode(Span span) {
    this.span = span;
  }

  /** The span, or null for a synthetic root. */
  public Span span() {
    return span;
  }

  /** The parent node, or null for the root. */
  public SpanNode parent() {
    return parent;
  }

  public List<SpanNode> children() {
    return Collections.unmodifiableList(children);
  }

  public boolean synthetic() {
    return span == null;
  }

  void addChild(SpanNode child) {
    if (child == this) throw new IllegalArgumentException("a span cannot be its own parent: " + span.getSpanId());
    children.add(child);
    child.parent = this;
  }

  /**
   * Visits this node and every node below it, breadth first; a synthetic root itself is not visited. Spans in a
   * parent cycle are not below the root and are never visited, as in Zipkin.
   */
  public void forEach(Consumer<SpanNode> visitor) {
    ArrayDeque<SpanNode> queue = new ArrayDeque<>();
    queue.add(this);
    while (!queue.isEmpty()) {
      SpanNode node = queue.remove();
      if (!node.synthetic()) visitor.accept(node);
      queue.addAll(node.children);
    }
  }
}
