package dev.tracepipe.platform.time;

import java.util.Objects;

/**
 * Bounded trust in clocks, free of Kafka: a record's arrival time may not run ahead of the reading stage's wall clock,
 * and a tracer's time may not run ahead of, or far behind, the arrival of the record that carries it.
 */
public final class EventTime {

  private final ClockSettings settings;

  public EventTime(ClockSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings == null");
  }

  public ClockSettings settings() {
    return settings;
  }

  /**
   * The arrival time of a record: its timestamp (the upstream stage's stream time, or the producer's clock), at most
   * the future tolerance past this stage's wall clock. While a stage replays old records their timestamps are old,
   * so everything judged against the arrival is judged against stream time, not against today's wall clock.
   */
  public long arrival(long recordTimestampMs, long wallMs) {
    if (recordTimestampMs < 0) {
      return wallMs;
    }
    return Math.min(recordTimestampMs, wallMs + settings.futureMs());
  }

  /** True when a record timestamp runs further ahead of the wall clock than the tolerance allows. */
  public boolean aheadOfWall(long recordTimestampMs, long wallMs) {
    return recordTimestampMs > wallMs + settings.futureMs();
  }

  /**
   * Where a tracer's time is counted: at its own time when it lies within the tolerances around the arrival of its
   * record, otherwise at the arrival, flagged.
   */
  public Placement place(long eventMs, long arrivalMs) {
    if (eventMs > arrivalMs + settings.futureMs()) {
      return new Placement(arrivalMs, Placement.Adjustment.CLOCK_AHEAD);
    }
    if (eventMs < arrivalMs - settings.pastMs()) {
      return new Placement(arrivalMs, Placement.Adjustment.CLOCK_BEHIND);
    }
    return Placement.kept(eventMs);
  }
}
