package dev.tracepipe.dependencies;

import java.util.Objects;

/** A call already counted for a trace: enough to find it again and to take it back. */
record CountedCall(String id, EdgeKey edge, boolean error, long timestampMillis) {

  CountedCall {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(edge, "edge == null");
  }

  static CountedCall of(Call call) {
    return new CountedCall(call.id(), call.edge(), call.error(), call.timestampMillis());
  }
}
