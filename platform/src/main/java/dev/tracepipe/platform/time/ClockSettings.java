package dev.tracepipe.platform.time;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How far every stage trusts tracer clocks and how it closes windows on a quiet system, read from
 * {@code clock.*} (see platform/RATIONALE.md, "Event time and tracer clocks").
 *
 * @param futureTolerance a time may run at most this far ahead of the reference it is judged against
 * @param pastTolerance a span may start at most this far before its trace arrived
 * @param replayLag a stage whose stream time is further than this behind its wall clock is replaying: its windows
 *     close on stream time only
 * @param punctuationInterval how often the wall clock is consulted to close windows on a quiet system
 */
public record ClockSettings(Duration futureTolerance, Duration pastTolerance, Duration replayLag,
    Duration punctuationInterval) {

  public static final Setting FUTURE_TOLERANCE = Setting.of("clock.future-tolerance", Duration.ofMinutes(1),
      "a tracer's time may run at most this far ahead of the stage's wall clock (or of its record's time); later spans"
          + " are placed at their arrival, flagged and counted");
  public static final Setting PAST_TOLERANCE = Setting.of("clock.past-tolerance", Duration.ofHours(1),
      "a span may start at most this far before its trace arrived; older ones are placed at their arrival, flagged"
          + " and counted");
  public static final Setting REPLAY_LAG = Setting.of("clock.replay-lag", Duration.ofMinutes(10),
      "a stage whose stream time is further than this behind its wall clock is replaying: its windows close on"
          + " stream time only");
  public static final Setting PUNCTUATION_INTERVAL = Setting.of("clock.punctuation-interval", Duration.ofSeconds(1),
      "how often the wall clock is consulted to close windows on a quiet system");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(FUTURE_TOLERANCE, PAST_TOLERANCE, REPLAY_LAG, PUNCTUATION_INTERVAL);

  public ClockSettings {
    nonNegative(futureTolerance, "futureTolerance");
    nonNegative(pastTolerance, "pastTolerance");
    nonNegative(replayLag, "replayLag");
    nonNegative(punctuationInterval, "punctuationInterval");
    if (punctuationInterval.isZero()) {
      throw new IllegalArgumentException("punctuationInterval must be positive");
    }
  }

  /** One minute ahead, one hour behind, ten minutes of lag before a stage counts as replaying, 1 s punctuation. */
  /** One minute ahead, one hour behind, ten minutes of lag before a stage counts as replaying, 1 s punctuation. */
  public static ClockSettings defaults() {
    return from(TracepipeConfig.of(Map.of()));
  }

  public static ClockSettings from(TracepipeConfig config) {
    return new ClockSettings(FUTURE_TOLERANCE.duration(config), PAST_TOLERANCE.duration(config),
        REPLAY_LAG.duration(config), PUNCTUATION_INTERVAL.duration(config));
  }

  long futureMs() {
    return futureTolerance.toMillis();
  }

  long pastMs() {
    return pastTolerance.toMillis();
  }

  long replayLagMs() {
    return replayLag.toMillis();
  }

  private static void nonNegative(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " < 0: " + value);
    }
  }
}
