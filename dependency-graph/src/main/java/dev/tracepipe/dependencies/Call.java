package dev.tracepipe.dependencies;

import java.util.Objects;

/**
 * One call along an edge, derived from one span of a trace.
 *
 * @param id identifies the call within its trace (the span that produced it and the rule), so a
 *     later version of the trace can be compared call by call
 * @param timestampMillis start of the span that produced the call; windows are cut on it
 * @param clientNanos duration of the calling side's span, or {@link #UNKNOWN} when there is none
 * @param serverNanos duration of the called side's span, or {@link #UNKNOWN} when there is none
 */
record Call(String id, EdgeKey edge, boolean error, long timestampMillis, long clientNanos,
    long serverNanos) {

  static final long UNKNOWN = -1L;

  Call {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(edge, "edge == null");
    if (clientNanos < 0) clientNanos = UNKNOWN;
    if (serverNanos < 0) serverNanos = UNKNOWN;
  }

  /** The call's latency: the client's view when there is one, else the server's. */
  long latencyNanos() {
    return clientNanos != UNKNOWN ? clientNanos : serverNanos;
  }
}
