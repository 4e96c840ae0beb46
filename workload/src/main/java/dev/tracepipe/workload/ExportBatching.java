package dev.tracepipe.workload;

import dev.tracepipe.platform.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How generated spans are grouped into messages. {@link #TRACE} packs the spans of whole traces together, which real
 * tracers never do; {@link #honest()} models what they do: every service's SDK exports its spans when they end, in
 * batches (OpenTelemetry's BatchSpanProcessor: 512 spans or every 5 s), and a Collector re-batches the exports of all
 * services (its batch processor: 8,192 spans or 200 ms) before writing to Kafka.
 *
 * @param traceMode pack whole traces (the SDK and Collector fields are then unused)
 */
public record ExportBatching(boolean traceMode, int sdkMaxSpans, Duration sdkDelay, int collectorMaxSpans,
    Duration collectorTimeout) {

  public static final int DEFAULT_SDK_MAX_SPANS = 512;
  public static final Duration DEFAULT_SDK_DELAY = Duration.ofSeconds(5);
  public static final int DEFAULT_COLLECTOR_MAX_SPANS = 8_192;
  public static final Duration DEFAULT_COLLECTOR_TIMEOUT = Duration.ofMillis(200);

  /** Whole traces per message, as the generator sent before: the flattering shape, kept for comparison. */
  public static final ExportBatching TRACE = new ExportBatching(true, DEFAULT_SDK_MAX_SPANS, DEFAULT_SDK_DELAY,
      DEFAULT_COLLECTOR_MAX_SPANS, DEFAULT_COLLECTOR_TIMEOUT);

  public ExportBatching {
    Objects.requireNonNull(sdkDelay, "sdkDelay == null");
    Objects.requireNonNull(collectorTimeout, "collectorTimeout == null");
    if (sdkMaxSpans < 1 || collectorMaxSpans < 1) {
      throw new IllegalArgumentException("batch sizes must be at least 1: " + sdkMaxSpans + ", " + collectorMaxSpans);
    }
    if (sdkDelay.isNegative() || sdkDelay.isZero() || collectorTimeout.isNegative() || collectorTimeout.isZero()) {
      throw new IllegalArgumentException("batch delays must be positive: " + sdkDelay + ", " + collectorTimeout);
    }
  }

  /** The SDK's and the Collector's default batching. */
  public static ExportBatching honest() {
    return honest(DEFAULT_SDK_DELAY);
  }

  /**
   * The defaults with another SDK delay ({@code OTEL_BSP_SCHEDULE_DELAY}), for pipelines whose inactivity gap is
   * shorter than 5 s: a gap shorter than the SDK's delay would split traces of rarely called services.
   */
  public static ExportBatching honest(Duration sdkDelay) {
    return new ExportBatching(false, DEFAULT_SDK_MAX_SPANS, sdkDelay, DEFAULT_COLLECTOR_MAX_SPANS,
        DEFAULT_COLLECTOR_TIMEOUT);
  }

  /**
   * Parses {@code trace}, {@code honest} or {@code honest:SPANS/DELAY:SPANS/TIMEOUT} (the SDK's batch, then the
   * Collector's), e.g. {@code honest:512/5s:8192/200ms}.
   */
  public static ExportBatching parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("trace")) {
      return TRACE;
    }
    if (value.equals("honest")) {
      return honest();
    }
    String[] parts = value.split(":");
    if (parts.length != 3 || !parts[0].equals("honest")) {
      throw new IllegalArgumentException("batching '" + text + "': expected trace, honest or"
          + " honest:SPANS/DELAY:SPANS/TIMEOUT, e.g. honest:512/5s:8192/200ms");
    }
    String[] sdk = pair(parts[1], text);
    String[] collector = pair(parts[2], text);
    try {
      return new ExportBatching(false, Integer.parseInt(sdk[0]), Durations.parse(sdk[1]),
          Integer.parseInt(collector[0]), Durations.parse(collector[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("batching '" + text + "': not a number", e);
    }
  }

  private static String[] pair(String part, String text) {
    String[] pair = part.split("/");
    if (pair.length != 2) {
      throw new IllegalArgumentException("batching '" + text + "': expected SPANS/DELAY, got " + part);
    }
    return pair;
  }

  @Override
  public String toString() {
    return traceMode ? "trace" : "honest:" + sdkMaxSpans + "/" + sdkDelay.toMillis() + "ms:" + collectorMaxSpans
        + "/" + collectorTimeout.toMillis() + "ms";
  }
}
