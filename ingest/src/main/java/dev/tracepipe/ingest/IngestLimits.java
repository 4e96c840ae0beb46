package dev.tracepipe.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * Caps and the timestamp plausibility window that {@link SpanValidator} applies to every span.
 *
 * @param maxAttributes most attributes kept per attribute map (span, resource, each event and link)
 * @param maxValueLength most characters kept of an attribute value, span name, event name or status message
 * @param maxEvents most events kept per span
 * @param maxLinks most links kept per span
 * @param maxSpanChars most characters (all strings of a span added up) a span may have after the caps; a larger one
 *     is rejected, so that every canonical record fits the topic's message size
 * @param maxPast how far before the reference time a span may start; null disables the check (replays)
 * @param maxFuture how far after the reference time a span may start; null disables the check
 */
record IngestLimits(int maxAttributes, int maxValueLength, int maxEvents, int maxLinks, int maxSpanChars,
                    Duration maxPast, Duration maxFuture) {

  /**
   * The OpenTelemetry SDK's span limits (128), a 4096-character value cap, 512 Ki characters per span (under the
   * canonical topic's 2 MiB even as 3-byte UTF-8) and a window from 7 days before to 1 day after arrival.
   */
  static final IngestLimits DEFAULTS =
      new IngestLimits(128, 4096, 128, 128, 512 * 1024, Duration.ofDays(7), Duration.ofDays(1));

  IngestLimits {
    if (maxAttributes < 0) throw new IllegalArgumentException("maxAttributes < 0: " + maxAttributes);
    if (maxValueLength < 1) throw new IllegalArgumentException("maxValueLength < 1: " + maxValueLength);
    if (maxEvents < 0) throw new IllegalArgumentException("maxEvents < 0: " + maxEvents);
    if (maxLinks < 0) throw new IllegalArgumentException("maxLinks < 0: " + maxLinks);
    if (maxSpanChars < 1) throw new IllegalArgumentException("maxSpanChars < 1: " + maxSpanChars);
    if ((maxPast == null) != (maxFuture == null)) {
      throw new IllegalArgumentException("maxPast and maxFuture must both be set or both be null");
    }
    if (maxPast != null && (maxPast.isNegative() || maxFuture.isNegative())) {
      throw new IllegalArgumentException("negative timestamp window: " + maxPast + ", " + maxFuture);
    }
  }

  /** The same caps without a timestamp window, for replaying old data. */
  IngestLimits withoutTimestampWindow() {
    return new IngestLimits(maxAttributes, maxValueLength, maxEvents, maxLinks, maxSpanChars, null, null);
  }

  IngestLimits withTimestampWindow(Duration past, Duration future) {
    Objects.requireNonNull(past, "past == null");
    Objects.requireNonNull(future, "future == null");
    return new IngestLimits(maxAttributes, maxValueLength, maxEvents, maxLinks, maxSpanChars, past, future);
  }

  boolean checksTimestamps() {
    return maxPast != null;
  }
}
