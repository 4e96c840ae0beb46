package dev.tracepipe.dependencies;

import dev.tracepipe.avro.ConnectionType;
import java.util.Objects;

/** One edge of the graph: who calls whom, and over what kind of connection. */
record EdgeKey(String parent, String child, ConnectionType type) implements Comparable<EdgeKey> {
  /** Parent and child of the edge that counts the calls of edges past a window's cap. */
  static final String OVERFLOW = "__overflow__";

  EdgeKey {
    Objects.requireNonNull(parent, "parent == null");
    Objects.requireNonNull(child, "child == null");
    Objects.requireNonNull(type, "type == null");
  }

  /** The overflow edge of this edge's connection type. */
  EdgeKey overflow() {
    return new EdgeKey(OVERFLOW, OVERFLOW, type);
  }

  @Override
  public int compareTo(EdgeKey other) {
    int byParent = parent.compareTo(other.parent);
    if (byParent != 0) return byParent;
    int byChild = child.compareTo(other.child);
    return byChild != 0 ? byChild : type.compareTo(other.type);
  }
}
