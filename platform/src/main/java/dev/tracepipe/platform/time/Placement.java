package dev.tracepipe.platform.time;

/**
 * Where an event is counted in time, and why it is not at its own time when it is not.
 *
 * @param timeMs the time the event is counted at
 * @param adjustment null when the event keeps its own time
 */
public record Placement(long timeMs, Adjustment adjustment) {

  /** Why an event was placed away from its own time: the metric's {@code reason} tag. */
  public enum Adjustment {
    /** The event's clock ran more than the future tolerance ahead of its arrival. */
    CLOCK_AHEAD("clock_ahead"),
    /** The event started more than the past tolerance before it arrived. */
    CLOCK_BEHIND("clock_behind"),
    /** The event's window had already closed when it arrived. */
    LATE("late"),
    /** The window of a correction had left the store's retention; nothing could hold it. */
    EXPIRED("expired");

    private final String tag;

    Adjustment(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  public boolean adjusted() {
    return adjustment != null;
  }

  static Placement kept(long timeMs) {
    return new Placement(timeMs, null);
  }
}
