package dev.tracepipe.tracestore;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the store indexes of a trace, read from its stored spans with the rules Zipkin's span builder applies (names
 * lower-cased, empty ones none, a zero or self parent none), so that the index agrees with the spans a query returns
 * without building those spans for every stored version.
 */
final class SearchFacts {
  private static final int SPAN_ID_LENGTH = 16;
  private static final int TRACE_ID_LENGTH = 32;
  private static final long NANOS_PER_MICRO = 1_000L;
  private static final boolean[] LOWER_HEX = new boolean['f' + 1];

  static {
    for (char c : "0123456789abcdef".toCharArray()) LOWER_HEX[c] = true;
  }

  private SearchFacts() {}

  /**
   * Refuses a trace whose ids Zipkin's span builder would refuse, so that no stored trace fails the queries that meet
   * it.
   *
   * @throws IllegalArgumentException naming the id and what is wrong with it
   */
  static void check(Trace trace) {
    String checked = null;
    for (Span span : trace.getSpans()) {
      String traceId = span.getTraceId();
      // Every span of an assembled trace has the same trace id: checked once.
      if (!traceId.equals(checked)) {
        if (zeroPrefix("traceId", traceId, TRACE_ID_LENGTH) == traceId.length()) {
          throw new IllegalArgumentException("traceId is all zeros");
        }
        checked = traceId;
      }
      if (zeroPrefix("id", span.getSpanId(), SPAN_ID_LENGTH) == SPAN_ID_LENGTH) {
        throw new IllegalArgumentException("id is all zeros");
      }
      if (span.getParentSpanId() != null) zeroPrefix("parentId", span.getParentSpanId(), SPAN_ID_LENGTH);
    }
  }

  /** Zipkin's trace timestamp in µs: the first root span's, else the earliest; 0 when no span is timed. */
  static long timestampMicros(Trace trace) {
    long timestamp = 0L;
    for (Span span : trace.getSpans()) {
      long start = startMicros(span);
      if (start == 0L) continue;
      if (isRoot(span)) return start;
      if (timestamp == 0L || timestamp > start) timestamp = start;
    }
    return timestamp;
  }

  /** The local service names of the trace's spans, each once, in span order. */
  static Set<String> services(Trace trace) {
    Set<String> services = new LinkedHashSet<>();
    for (Span span : trace.getSpans()) {
      String service = serviceName(span);
      if (service != null) services.add(service);
    }
    return services;
  }

  static String serviceName(Span span) {
    return name(span.getService());
  }

  static String spanName(Span span) {
    return name(span.getName());
  }

  static String remoteServiceName(Span span) {
    RemotePeer remote = span.getRemote();
    return remote == null ? null : name(remote.getService());
  }

  /** The value of a Zipkin tag: an attribute, or the error tag an error status becomes. */
  static String tag(Span span, String key) {
    String value = span.getAttributes().get(key);
    return value == null && ZipkinSpans.ERROR_TAG.equals(key) ? ZipkinSpans.statusErrorTag(span) : value;
  }

  private static long startMicros(Span span) {
    return Math.max(0L, span.getStartTimeNanos() / NANOS_PER_MICRO);
  }

  /** No parent as Zipkin reads it: none, all zeros, or the span itself. */
  private static boolean isRoot(Span span) {
    String parent = span.getParentSpanId();
    if (parent == null || zeroPrefix("parentId", parent, SPAN_ID_LENGTH) == parent.length()) return true;
    return padded(parent).equals(padded(span.getSpanId()));
  }

  private static String padded(String spanId) {
    return spanId.length() >= SPAN_ID_LENGTH ? spanId : "0".repeat(SPAN_ID_LENGTH - spanId.length()) + spanId;
  }

  private static String name(String name) {
    return name == null || name.isEmpty() ? null : name.toLowerCase(Locale.ROOT);
  }

  /** Checks an id is 1 to {@code maxLength} lower-hex digits and returns how many zeros it starts with. */
  private static int zeroPrefix(String field, String id, int maxLength) {
    if (id == null) throw new IllegalArgumentException(field + " is missing");
    int length = id.length();
    if (length == 0) throw new IllegalArgumentException(field + " is empty");
    if (length > maxLength) throw new IllegalArgumentException(field + ".length > " + maxLength);
    int zeros = 0;
    while (zeros < length && id.charAt(zeros) == '0') {
      zeros++;
    }
    for (int i = zeros; i < length; i++) {
      char c = id.charAt(i);
      if (c >= LOWER_HEX.length || !LOWER_HEX[c]) {
        throw new IllegalArgumentException(id + " should be lower-hex encoded with no prefix");
      }
    }
    return zeros;
  }
}
