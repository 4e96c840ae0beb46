package dev.tracepipe.dependencies;

import dev.tracepipe.avro.SpanKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The spans of one trace placed as a tree by the same rules as Zipkin's SpanNode, so that linking
 * over it gives Zipkin's edges (RATIONALE.md, "Building the tree").
 */
final class SpanTree {

  /** One span in the tree; the synthetic root holds no span. */
  static final class Node {
    final LinkSpan span;
    Node parent;
    final List<Node> children = new ArrayList<>();

    Node(LinkSpan span) {
      this.span = span;
    }

    boolean synthetic() {
      return span == null;
    }
  }

  /** Identity of a node: a shared (server) half is told apart from its client by its service. */
  private record Key(String spanId, boolean shared, String service) {
    static Key of(LinkSpan span) {
      return new Key(span.spanId(), span.shared(), span.shared() ? span.service() : null);
    }
  }

  private final Node root;

  private SpanTree(Node root) {
    this.root = root;
  }

  /**
   * Copies of one span (same id, shared flag, service and kind) count once; of two different
   * spans claiming one identity, the first in the list is kept.
   */
  static SpanTree build(List<LinkSpan> input) {
    Objects.requireNonNull(input, "spans == null");
    Map<List<Object>, LinkSpan> distinct = new LinkedHashMap<>();
    for (LinkSpan span : input) {
      distinct.putIfAbsent(List.of(span.spanId(), span.shared(), String.valueOf(span.service()), span.kind()), span);
    }
    List<LinkSpan> spans = markUnflaggedServerHalves(new ArrayList<>(distinct.values()));
    Map<Key, Node> nodes = new LinkedHashMap<>();
    for (LinkSpan span : spans) nodes.putIfAbsent(Key.of(span), new Node(span));
    Node root = chooseRoot(nodes.values());
    for (Node node : nodes.values()) {
      if (node == root) continue;
      Node parent = parentOf(node, nodes, root);
      parent.children.add(node);
      node.parent = parent;
    }
    return new SpanTree(root);
  }

  /** The real root, or a synthetic one holding the headless spans when no span lacks a parent. */
  Node root() {
    return root;
  }

  /**
   * Visits every node reachable from the root, breadth first, the synthetic root excluded. Spans in
   * a parent cycle are unreachable and so never visited, as in Zipkin.
   */
  void forEachNode(Consumer<Node> visitor) {
    ArrayDeque<Node> queue = new ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      Node node = queue.remove();
      if (!node.synthetic()) visitor.accept(node);
      queue.addAll(node.children);
    }
  }

  /**
   * Instrumentation that reuses the client's span id on the server without setting the shared
   * flag reports two unshared spans with one id; when they name two different services, the
   * SERVER one is the shared half (Zipkin's rule; with one service they are copies of one span).
   */
  private static List<LinkSpan> markUnflaggedServerHalves(List<LinkSpan> spans) {
    Map<String, List<LinkSpan>> unsharedById = new HashMap<>();
    for (LinkSpan span : spans) {
      if (!span.shared()) unsharedById.computeIfAbsent(span.spanId(), id -> new ArrayList<>(2)).add(span);
    }
    List<LinkSpan> result = new ArrayList<>(spans.size());
    for (LinkSpan span : spans) {
      result.add(isUnflaggedServerHalf(span, unsharedById.get(span.spanId())) ? asShared(span) : span);
    }
    return result;
  }

  private static boolean isUnflaggedServerHalf(LinkSpan span, List<LinkSpan> sameId) {
    if (span.shared() || span.kind() != SpanKind.SERVER || span.service() == null) return false;
    if (sameId.size() != 2) return false;
    LinkSpan other = sameId.get(0) == span ? sameId.get(1) : sameId.get(0);
    return other.kind() == SpanKind.CLIENT && other.service() != null
        && !other.service().equals(span.service());
  }

  private static LinkSpan asShared(LinkSpan span) {
    return new LinkSpan(span.spanId(), span.parentSpanId(), true, span.service(), span.kind(),
        span.peer(), span.database(), span.error(), span.startNanos(), span.durationNanos());
  }

  /**
   * Of the unshared spans without a parent id, the one with the lowest span id is the root, as in
   * Zipkin; ids have a fixed width, so this is deterministic whatever the arrival order.
   */
  private static Node chooseRoot(Iterable<Node> nodes) {
    Node root = null;
    for (Node node : nodes) {
      LinkSpan span = node.span;
      if (span.shared() || span.parentSpanId() != null) continue;
      if (root == null || span.spanId().compareTo(root.span.spanId()) < 0) root = node;
    }
    return root != null ? root : new Node(null);
  }

  private static Node parentOf(Node node, Map<Key, Node> nodes, Node root) {
    LinkSpan span = node.span;
    Node parent;
    if (span.shared()) {
      // A server half hangs under the client that shares its id.
      parent = nodes.get(new Key(span.spanId(), false, null));
    } else if (span.parentSpanId() == null) {
      parent = null; // a second root: attributed to the first, as Zipkin does
    } else {
      // A local span of a server that shares its id with its client belongs under that server
      // half, found by the service the two have in common; otherwise under the unshared span.
      parent = nodes.get(new Key(span.parentSpanId(), true, span.service()));
      if (parent == null) parent = nodes.get(new Key(span.parentSpanId(), false, null));
    }
    // Headless spans (parent not in the trace) hang under the root; so does a span naming itself.
    return parent == null || parent == node ? root : parent;
  }
}
