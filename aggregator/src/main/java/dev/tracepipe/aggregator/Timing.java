package dev.tracepipe.aggregator;

import java.time.Duration;
import java.util.Objects;

/**
 * When traces complete and how long their state is kept.
 *
 * @param inactivityGap a trace completes when no span arrived for this long
 * @param maxDuration a trace completes at the latest this long after its first span
 * @param lateRetention after emission, spans are kept this long so a late span re-emits the whole trace
 * @param markerRetention after that, a marker of the trace id is kept this long so a later span becomes a fragment of
 *     it rather than a new trace
 * @param punctuationInterval how often wall-clock and stream-time punctuation look for due traces
 */
record Timing(
    Duration inactivityGap,
    Duration maxDuration,
    Duration lateRetention,
    Duration markerRetention,
    Duration punctuationInterval) {

  static final Duration DEFAULT_GAP = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(5);
  static final Duration DEFAULT_MARKER_RETENTION = Duration.ofHours(1);
  /**
   * Short, because a trace waits up to one interval after its gap, and exporters already delay a trace's last span
   * by a second or more; a punctuation that finds nothing due is one short range scan per clock.
   */
  static final Duration DEFAULT_PUNCTUATION = Duration.ofMillis(250);

  Timing {
    positive(inactivityGap, "inactivityGap");
    positive(maxDuration, "maxDuration");
    Objects.requireNonNull(lateRetention, "lateRetention == null");
    Objects.requireNonNull(markerRetention, "markerRetention == null");
    positive(punctuationInterval, "punctuationInterval");
    if (lateRetention.isNegative() || markerRetention.isNegative()) {
      throw new IllegalArgumentException("negative retention: " + lateRetention + ", " + markerRetention);
    }
  }

  /** The defaults: 30 s gap, 5 min maximum, late retention twice the gap, 1 h markers, 250 ms punctuation. */
  static Timing defaults() {
    return withGap(DEFAULT_GAP);
  }

  /** The defaults around another gap (late retention stays twice the gap). */
  static Timing withGap(Duration gap) {
    Objects.requireNonNull(gap, "gap == null");
    return new Timing(gap, DEFAULT_MAX_DURATION, gap.multipliedBy(2), DEFAULT_MARKER_RETENTION, DEFAULT_PUNCTUATION);
  }

  long gapMs() {
    return inactivityGap.toMillis();
  }

  long maxDurationMs() {
    return maxDuration.toMillis();
  }

  long lateRetentionMs() {
    return lateRetention.toMillis();
  }

  long markerRetentionMs() {
    return markerRetention.toMillis();
  }

  private static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name + " == null");
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
  }
}
