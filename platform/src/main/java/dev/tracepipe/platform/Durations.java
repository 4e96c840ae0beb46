package dev.tracepipe.platform;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them in configuration: {@code 30s}, {@code 250ms}, {@code 5m}, {@code 1h}, ISO-8601. */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ns" -> Duration.ofNanos(n);
        case "us" -> Duration.ofNanos(n * 1_000);
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
  }
}
