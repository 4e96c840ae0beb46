package dev.tracepipe.trace;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import java.util.Objects;

/** The one reading of a span's facts every stage shares: whether it failed, and which process reported it. */
public final class SpanFacts {
  /** Resource attribute set to "true" by ingest when a span named no service and was given a default one. */
  public static final String SERVICE_DEFAULTED = "tracepipe.service.defaulted";
  /** Resource attribute holding the reporting process's IP address (Zipkin's local endpoint ipv4, else ipv6). */
  public static final String HOST_IP = "host.ip";
  /** Resource attribute holding the reporting process's port (Zipkin's local endpoint port). */
  public static final String HOST_PORT = "host.port";
  /**
   * Attribute set to "true" on a server half whose shared flag was inferred from its client (Zipkin's backfill), so
   * that the span keeps its place among the unshared spans when a merged trace is ordered again.
   */
  public static final String SHARED_INFERRED = "tracepipe.shared.inferred";
  /** Zipkin's failure tag: its presence alone marks a failed span, whatever its value. */
  public static final String ERROR_TAG = "error";

  private SpanFacts() {}

  /** A failed span: status ERROR (OTLP), or Zipkin's "error" tag (ingest keeps tags as attributes). */
  public static boolean isError(Span span) {
    Objects.requireNonNull(span, "span == null");
    boolean statusError = span.getStatus() != null && span.getStatus().getCode() == StatusCode.ERROR;
    return statusError || (span.getAttributes() != null && span.getAttributes().containsKey(ERROR_TAG));
  }

  /** The service the tracer named, or null when it named none (blank, or defaulted at ingest). */
  public static String service(Span span) {
    Objects.requireNonNull(span, "span == null");
    if (span.getService() == null || span.getService().isBlank()) return null;
    boolean defaulted = span.getResourceAttributes() != null
        && "true".equals(span.getResourceAttributes().get(SERVICE_DEFAULTED));
    return defaulted ? null : span.getService();
  }

  /** Where the span was reported from, as Zipkin's local endpoint identifies it; null when nothing is known. */
  public static Endpoint endpoint(Span span) {
    String service = service(span);
    String ip = span.getResourceAttributes() == null ? null : blankToNull(span.getResourceAttributes().get(HOST_IP));
    String port = span.getResourceAttributes() == null ? null
        : blankToNull(span.getResourceAttributes().get(HOST_PORT));
    if (service == null && ip == null && port == null) return null;
    return new Endpoint(service, ip, port);
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * A reporting process: service, address and port, each null when unknown.
   *
   * @param service the local service, null when the tracer named none
   * @param ip the host address
   * @param port the listening port, as text
   */
  public record Endpoint(String service, String ip, String port) {}
}
