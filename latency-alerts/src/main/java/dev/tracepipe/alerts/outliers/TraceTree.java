package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.latency.OperationKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The parent/child structure of one trace's spans, with Zipkin's shared client/server halves told apart. */
final class TraceTree {

  /** One span in the tree; identity is (span id, shared) because a shared server half reuses its client's id. */
  static final class Node {
    final Span span;
    Node parent;
    final List<Node> children = new ArrayList<>();

    Node(Span span) {
      this.span = span;
    }

    long start() {
      return span.getStartTimeNanos();
    }

    long end() {
      return span.getStartTimeNanos() + Math.max(0, span.getDurationNanos());
    }

    OperationKey operation() {
      return OperationKey.of(span);
    }

    /**
     * A consumer child runs after its producer (or any other parent) has returned, like a FOLLOWS_FROM reference:
     * its time never delays the parent.
     */
    boolean isAsyncChild() {
      return span.getKind() == SpanKind.CONSUMER;
    }

    @Override
    public String toString() {
      return span.getSpanId() + (span.getShared() ? "(shared)" : "");
    }
  }

  private record NodeId(String spanId, boolean shared) {}

  private final Map<NodeId, Node> nodes;
  private final Node root;

  private TraceTree(Map<NodeId, Node> nodes, Node root) {
    this.nodes = nodes;
    this.root = root;
  }

  static TraceTree of(List<Span> spans, String rootSpanId) {
    Objects.requireNonNull(spans, "spans == null");
    Map<NodeId, Node> nodes = new LinkedHashMap<>();
    for (Span span : spans) {
      nodes.putIfAbsent(new NodeId(span.getSpanId(), span.getShared()), new Node(span));
    }
    for (Node node : nodes.values()) {
      Node parent = resolveParent(nodes, node.span);
      if (parent != null && !createsCycle(node, parent)) {
        node.parent = parent;
        parent.children.add(node);
      }
    }
    return new TraceTree(Collections.unmodifiableMap(nodes), chooseRoot(nodes, rootSpanId));
  }

  /**
   * A shared server half hangs under its client half; a child of an id that has both halves hangs under the server
   * half of its own service, because that is where it ran.
   */
  private static Node resolveParent(Map<NodeId, Node> nodes, Span span) {
    if (span.getShared()) {
      Node client = nodes.get(new NodeId(span.getSpanId(), false));
      if (client != null) {
        return client;
      }
    }
    String parentId = span.getParentSpanId();
    if (parentId == null || parentId.equals(span.getSpanId())) {
      return null;
    }
    Node sharedParent = nodes.get(new NodeId(parentId, true));
    Node plainParent = nodes.get(new NodeId(parentId, false));
    if (sharedParent != null && (plainParent == null || sharedParent.span.getService().equals(span.getService()))) {
      return sharedParent;
    }
    return plainParent;
  }

  private static boolean createsCycle(Node child, Node parent) {
    for (Node n = parent; n != null; n = n.parent) {
      if (n == child) {
        return true;
      }
    }
    return false;
  }

  private static Node chooseRoot(Map<NodeId, Node> nodes, String rootSpanId) {
    if (rootSpanId != null) {
      Node plain = nodes.get(new NodeId(rootSpanId, false));
      if (plain != null) {
        return plain;
      }
      Node shared = nodes.get(new NodeId(rootSpanId, true));
      if (shared != null) {
        return shared;
      }
    }
    // Without a known root, the top-level span that finishes last bounds the request best.
    return nodes.values().stream()
        .filter(n -> n.parent == null)
        .max(Comparator.comparingLong(Node::end).thenComparing(Comparator.comparingLong(Node::start).reversed()))
        .orElse(null);
  }

  Optional<Node> root() {
    return Optional.ofNullable(root);
  }

  List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  /** Calls per (service, operation), the shape a structural comparison works on. */
  Map<CallKey, Integer> callCounts() {
    Map<CallKey, Integer> counts = new HashMap<>();
    for (Node node : nodes.values()) {
      counts.merge(new CallKey(node.span.getService(), node.span.getName()), 1, Integer::sum);
    }
    return counts;
  }
}
