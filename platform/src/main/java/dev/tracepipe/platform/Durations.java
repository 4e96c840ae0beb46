package dev.tracepipe.platform;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in configuration and queries ({@code 30s}, {@code 250ms}, {@code 1.5s}, {@code 5m},
 * {@code 1h}, {@code 7d}, ISO-8601), written back exactly ({@link #format}) or rounded for messages ({@link #text}).
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(value);
    if (m.matches()) {
      long nanosPerUnit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> 86_400_000_000_000L;
      };
      BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
      return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }
    return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
  }

  /** The shortest exact text {@link #parse} reads back: {@code 1h}, {@code 5m}, {@code 90s}, {@code 250ms}. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos != 0 && nanos % 3_600_000_000_000L == 0) {
      return nanos / 3_600_000_000_000L + "h";
    }
    if (nanos != 0 && nanos % 60_000_000_000L == 0) {
      return nanos / 60_000_000_000L + "m";
    }
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    return nanos + "ns";
  }

  /** A nanosecond duration rounded to one decimal for people: {@code 1.3s}, {@code 640.0ms}, {@code 12.5us}. */
  public static String text(long nanos) {
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
