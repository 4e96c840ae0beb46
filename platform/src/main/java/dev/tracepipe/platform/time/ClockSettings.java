package dev.tracepipe.platform.time;

import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How far every stage trusts tracer clocks and how it closes windows on a quiet system, read from
 * {@code tracepipe.clock.*} (see platform/RATIONALE.md, "Event time and tracer clocks").
 *
 * @param futureTolerance a time may run at most this far ahead of the reference it is judged against
 * @param pastTolerance a span may start at most this far before its trace arrived
 * @param replayLag a stage whose stream time is further than this behind its wall clock is replaying: its windows
 *     close on stream time only
 * @param punctuationInterval how often the wall clock is consulted to close windows on a quiet system
 */
public record ClockSettings(Duration futureTolerance, Duration pastTolerance, Duration replayLag,
    Duration punctuationInterval) {

  public static final String FUTURE_TOLERANCE = "tracepipe.clock.future-tolerance";
  public static final String PAST_TOLERANCE = "tracepipe.clock.past-tolerance";
  public static final String REPLAY_LAG = "tracepipe.clock.replay-lag";
  public static final String PUNCTUATION_INTERVAL = "tracepipe.clock.punctuation-interval";

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
  public static ClockSettings defaults() {
    return new ClockSettings(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofSeconds(1));
  }

  public static ClockSettings from(TracepipeConfig config) {
    ClockSettings d = defaults();
    return new ClockSettings(
        config.duration(FUTURE_TOLERANCE, d.futureTolerance()),
        config.duration(PAST_TOLERANCE, d.pastTolerance()),
        config.duration(REPLAY_LAG, d.replayLag()),
        config.duration(PUNCTUATION_INTERVAL, d.punctuationInterval()));
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
