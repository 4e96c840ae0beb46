package dev.tracepipe.latency;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What percentiles and baselines are kept per: (service, operation, span kind). Its text form
 * {@code service|operation|KIND} (with {@code |} and {@code \} escaped by {@code \}) is the key of the
 * operation-latency and baseline topics and of the window stores.
 */
public record OperationKey(String service, String operation, SpanKind kind) {

  /** The operation (or dimension value) a sample is counted under beyond a cap. */
  public static final String OVERFLOW = "__overflow__";

  public OperationKey {
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(operation, "operation == null");
    Objects.requireNonNull(kind, "kind == null");
  }

  public static OperationKey of(Span span) {
    return new OperationKey(span.getService(), span.getName(), span.getKind());
  }

  public String encode() {
    return escape(service) + '|' + escape(operation) + '|' + kind.name();
  }

  public static OperationKey decode(String text) {
    Objects.requireNonNull(text, "text == null");
    List<String> parts = new ArrayList<>(3);
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        current.append(text.charAt(++i));
      } else if (c == '|') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    if (parts.size() != 3) {
      throw new IllegalArgumentException("not an operation key (service|operation|KIND): " + text);
    }
    return new OperationKey(parts.get(0), parts.get(1), SpanKind.valueOf(parts.get(2)));
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|");
  }

  @Override
  public String toString() {
    return encode();
  }
}
