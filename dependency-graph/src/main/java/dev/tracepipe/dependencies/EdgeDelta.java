package dev.tracepipe.dependencies;

import java.util.Objects;

/**
 * A change to one edge's counts in the window of {@code timestampMillis}: a new call (+1), a
 * retracted one (-1), or a call whose error state changed (0 calls, +-1 error).
 *
 * @param clientNanos latency of a new call from the caller's side, or {@link Call#UNKNOWN}
 * @param serverNanos latency of a new call from the callee's side, or {@link Call#UNKNOWN}
 */
record EdgeDelta(EdgeKey edge, long timestampMillis, int calls, int errors, long clientNanos,
    long serverNanos) {

  EdgeDelta {
    Objects.requireNonNull(edge, "edge == null");
  }

  static EdgeDelta added(Call call) {
    return new EdgeDelta(call.edge(), call.timestampMillis(), 1, call.error() ? 1 : 0,
        call.clientNanos(), call.serverNanos());
  }

  static EdgeDelta retracted(CountedCall counted) {
    return new EdgeDelta(counted.edge(), counted.timestampMillis(), -1, counted.error() ? -1 : 0,
        Call.UNKNOWN, Call.UNKNOWN);
  }

  /** The call's latency as windows record it: the client's view, else the server's. */
  long latencyNanos() {
    return clientNanos != Call.UNKNOWN ? clientNanos : serverNanos;
  }

  boolean isNewCall() {
    return calls > 0;
  }
}
