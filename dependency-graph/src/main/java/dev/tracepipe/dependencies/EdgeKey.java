package dev.tracepipe.dependencies;

import dev.tracepipe.avro.ConnectionType;
import java.util.Objects;

/** One edge of the graph: who calls whom, and over what kind of connection. */
record EdgeKey(String parent, String child, ConnectionType type) implements Comparable<EdgeKey> {

  EdgeKey {
    Objects.requireNonNull(parent, "parent == null");
    Objects.requireNonNull(child, "child == null");
    Objects.requireNonNull(type, "type == null");
  }

  @Override
  public int compareTo(EdgeKey other) {
    int byParent = parent.compareTo(other.parent);
    if (byParent != 0) return byParent;
    int byChild = child.compareTo(other.child);
    return byChild != 0 ? byChild : type.compareTo(other.type);
  }
}
