package dev.tracepipe.trace;

import dev.tracepipe.avro.Span;
import dev.tracepipe.trace.SpanFacts.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Places the merged spans of one trace in a tree by the rules of Zipkin's {@code SpanNode.Builder}
 * (RATIONALE.md, "The span tree"): a shared server half hangs under the client with its id, a child hangs under
 * the shared half of its parent id when both were reported from the same endpoint and under the client half
 * otherwise, and spans whose parent is missing hang under the first root.
 */
public final class SpanTree {

  /** A shared half is identified by its id and its endpoint: two servers may answer one client id. */
  private record SharedKey(String spanId, Endpoint endpoint) {}

  private SpanNode root;
  private final Map<Object, SpanNode> keyToNode = new LinkedHashMap<>();
  private final Map<Object, Object> spanToParent = new LinkedHashMap<>();

  private SpanTree() {}

  /** Merges the pieces (as {@link HalfMerger} does) and returns the root, synthetic when no span is a root. */
  public static SpanNode build(List<Span> pieces) {
    Objects.requireNonNull(pieces, "pieces == null");
    return place(HalfMerger.merge(pieces));
  }

  /**
   * The tree of spans that were merged already, as a {@code Trace} holds them. Merging twice is not the same as
   * merging once (a server half given its shared flag by the first merge could join another half in the second),
   * so stages that read assembled traces build with this.
   */
  public static SpanNode ofMerged(List<Span> merged) {
    Objects.requireNonNull(merged, "merged == null");
    List<Span> sorted = new ArrayList<>(merged);
    sorted.sort(HalfMerger.MERGE_ORDER);
    return place(withoutCopies(sorted));
  }

  /**
   * An exact copy (a span delivered twice) is one span, as Zipkin's merge makes it: a second node under the same key
   * would take over the first one's children and leave one of the two out of the tree, with everything below it.
   * In merge order copies are neighbours, and only copies compare equal (the last tie-breaker is the encoding).
   */
  private static List<Span> withoutCopies(List<Span> sorted) {
    List<Span> out = new ArrayList<>(sorted.size());
    for (Span span : sorted) {
      if (out.isEmpty() || HalfMerger.MERGE_ORDER.compare(out.get(out.size() - 1), span) != 0) out.add(span);
    }
    return out;
  }

  private static SpanNode place(List<Span> spans) {
    if (spans.isEmpty()) return new SpanNode(null);
    SpanTree tree = new SpanTree();
    for (Span span : spans) tree.index(span);
    for (Span span : spans) tree.place(span);
    if (tree.root == null) tree.root = new SpanNode(null);
    tree.link();
    return tree.root;
  }

  private static Object key(String spanId, boolean shared, Endpoint endpoint) {
    return shared ? new SharedKey(spanId, endpoint) : spanId;
  }

  /** First pass: every span's own key and the key of the parent it names. */
  private void index(Span span) {
    if (span.getShared()) {
      // The client of a shared half is not ambiguous for one id; the shared half is, by endpoint.
      spanToParent.put(key(span.getSpanId(), true, SpanFacts.endpoint(span)), span.getSpanId());
    } else {
      spanToParent.put(span.getSpanId(), span.getParentSpanId());
    }
  }

  /** Second pass: the most specific parent, now that every span is known; the first root is the root. */
  private void place(Span span) {
    Endpoint endpoint = SpanFacts.endpoint(span);
    boolean shared = span.getShared();
    Object key = key(span.getSpanId(), shared, endpoint);
    Object noEndpointKey = endpoint != null ? key(span.getSpanId(), shared, null) : key;
    Object parent = null;
    if (shared) {
      parent = span.getSpanId();
    } else if (span.getParentSpanId() != null) {
      // A local span of a server that shares its client's id: under that server half when reported from the
      // same endpoint; otherwise under the span with the parent id, the client half.
      Object sharedParent = key(span.getParentSpanId(), true, endpoint);
      if (spanToParent.containsKey(sharedParent)) {
        parent = sharedParent;
        spanToParent.put(noEndpointKey, sharedParent);
      } else {
        parent = span.getParentSpanId();
      }
    }
    SpanNode node = new SpanNode(span);
    if (parent == null && root == null) {
      root = node;
      spanToParent.remove(noEndpointKey);
    } else if (shared) {
      // Reachable both ways, for children that lack endpoint information.
      keyToNode.put(key, node);
      keyToNode.put(noEndpointKey, node);
    } else {
      keyToNode.put(noEndpointKey, node);
    }
  }

  /** Last pass: attach every span to its parent, or to the root when its parent is missing. */
  private void link() {
    for (Map.Entry<Object, Object> entry : spanToParent.entrySet()) {
      SpanNode child = keyToNode.get(entry.getKey());
      SpanNode parent = keyToNode.get(entry.getValue());
      if (child == null) continue;
      if (parent == null || parent == child) {
        if (child != root) root.addChild(child);
      } else {
        parent.addChild(child);
      }
    }
  }
}
