package dev.tracepipe.alerts.outliers;

import java.time.Duration;

/**
 * At most {@code maxPerWindow} alerts per root operation in each tumbling window of alert time; the alerts held back
 * are counted and the count travels on the next alert that passes.
 */
final class StormGate {

  /** What storm control remembers per root operation. */
  record State(long windowStart, long emitted, long suppressed) {}

  /**
   * @param pass whether the alert goes out
   * @param suppressedBefore alerts held back since the previous one that passed, to put on this one
   */
  record Decision(boolean pass, long suppressedBefore, State next) {}

  private final long windowMillis;
  private final int maxPerWindow;

  StormGate(Duration window, int maxPerWindow) {
    if (window.toMillis() <= 0 || maxPerWindow < 1) {
      throw new IllegalArgumentException("storm window > 0 and max alerts >= 1 required: " + window + ", "
          + maxPerWindow);
    }
    this.windowMillis = window.toMillis();
    this.maxPerWindow = maxPerWindow;
  }

  Decision decide(State previous, long timestampMillis) {
    long windowStart = Math.floorDiv(timestampMillis, windowMillis) * windowMillis;
    State state = previous == null ? new State(windowStart, 0, 0) : previous;
    // An out-of-order alert from an earlier window counts against the current one rather than reopening the past.
    if (windowStart > state.windowStart()) {
      state = new State(windowStart, 0, state.suppressed());
    }
    if (state.emitted() < maxPerWindow) {
      return new Decision(true, state.suppressed(), new State(state.windowStart(), state.emitted() + 1, 0));
    }
    return new Decision(false, 0, new State(state.windowStart(), state.emitted(), state.suppressed() + 1));
  }
}
