package dev.tracepipe.latency;

import java.util.Locale;

/** Human-readable nanosecond durations for alert descriptions. */
final class Durations {

  private Durations() {}

  static String text(long nanos) {
    if (nanos >= 10_000_000_000L) {
      return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
    if (nanos >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    if (nanos >= 1_000L) {
      return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
    }
    return nanos + "ns";
  }
}
