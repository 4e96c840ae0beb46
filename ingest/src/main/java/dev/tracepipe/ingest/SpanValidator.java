package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Status;
import dev.tracepipe.trace.SpanFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks a mapped span against the Span contract and the ingest limits, and returns it in canonical form. */
final class SpanValidator {
  /** Service of spans that name none, as the OpenTelemetry SDKs do when service.name is unset. */
  static final String UNKNOWN_SERVICE = "unknown_service";
  /** Resource attribute set to "true" on spans whose service was defaulted, so they can be found later. */
  static final String SERVICE_DEFAULTED_ATTRIBUTE = SpanFacts.SERVICE_DEFAULTED;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final int MAX_ID_IN_DETAIL = 64;

  private final IngestLimits limits;

  SpanValidator(IngestLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  /**
   * Validates and normalises one span.
   *
   * @param referenceEpochMillis the time the span was received (Kafka record timestamp or HTTP arrival), the centre
   *     of the plausibility window; never read from the clock here so results are reproducible
   */
  Verdict validate(Span span, long referenceEpochMillis) {
    Objects.requireNonNull(span, "span == null");
    String traceId = SpanIds.traceId(span.getTraceId());
    if (traceId == null) {
      return new Verdict.Rejected(RejectReason.INVALID_TRACE_ID,
          "trace id '" + shorten(span.getTraceId()) + "' is not 16 or 32 hex characters, or is all zeros");
    }
    String spanId = SpanIds.spanId(span.getSpanId());
    if (spanId == null) {
      return new Verdict.Rejected(RejectReason.INVALID_SPAN_ID,
          "span id '" + shorten(span.getSpanId()) + "' is not 16 hex characters, or is all zeros");
    }
    String parentSpanId = null;
    if (!SpanIds.isAbsent(span.getParentSpanId())) {
      parentSpanId = SpanIds.spanId(span.getParentSpanId());
      if (parentSpanId == null) {
        return new Verdict.Rejected(RejectReason.INVALID_PARENT_SPAN_ID,
            "parent span id '" + shorten(span.getParentSpanId()) + "' is not 16 hex characters");
      }
    }
    if (span.getUntimed() || span.getStartTimeNanos() <= 0) {
      // Zipkin keeps spans without a timestamp (often one half of a span whose other half is timed): so do we,
      // placed at their arrival and flagged; the aggregator merges them with their timed piece or places them.
      span = Span.newBuilder(span).setUntimed(true).setStartTimeNanos(referenceEpochMillis * NANOS_PER_MILLI)
          .setDurationNanos(Math.max(0, span.getDurationNanos())).build();
    } else {
      Verdict.Rejected timeProblem = checkTimes(span, referenceEpochMillis);
      if (timeProblem != null) return timeProblem;
    }
    return accept(span, traceId, spanId, parentSpanId);
  }

  private Verdict.Rejected checkTimes(Span span, long referenceEpochMillis) {
    long start = span.getStartTimeNanos();
    if (span.getDurationNanos() < 0) {
      return new Verdict.Rejected(RejectReason.NEGATIVE_DURATION,
          "duration " + span.getDurationNanos() + " ns is negative (end before start)");
    }
    if (limits.checksTimestamps()) {
      long reference = referenceEpochMillis * NANOS_PER_MILLI;
      if (start < reference - limits.maxPast().toNanos() || start > reference + limits.maxFuture().toNanos()) {
        return new Verdict.Rejected(RejectReason.TIMESTAMP_OUT_OF_RANGE, "start time " + start
            + " ns is outside [-" + limits.maxPast() + ", +" + limits.maxFuture() + "] around " + reference + " ns");
      }
    }
    return null;
  }

  private Verdict accept(Span span, String traceId, String spanId, String parentSpanId) {
    Caps caps = new Caps();
    Span.Builder out = Span.newBuilder(span)
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setParentSpanId(parentSpanId)
        .setName(caps.value(span.getName()))
        .setAttributes(caps.attributes(span.getAttributes()))
        .setResourceAttributes(caps.attributes(span.getResourceAttributes()))
        .setEvents(caps.events(span.getEvents()))
        .setLinks(caps.links(span.getLinks()));
    Status status = span.getStatus();
    if (status.getMessage() != null) {
      out.setStatus(new Status(status.getCode(), caps.value(status.getMessage())));
    }
    boolean serviceDefaulted = span.getService() == null || span.getService().isBlank();
    if (serviceDefaulted) {
      out.setService(UNKNOWN_SERVICE);
      out.getResourceAttributes().put(SERVICE_DEFAULTED_ATTRIBUTE, "true");
    }
    out.setDroppedAttributesCount(span.getDroppedAttributesCount() + caps.droppedAttributes)
        .setDroppedEventsCount(span.getDroppedEventsCount() + caps.droppedEvents)
        .setDroppedLinksCount(span.getDroppedLinksCount() + caps.droppedLinks)
        .setTruncatedValuesCount(span.getTruncatedValuesCount() + caps.truncatedValues);
    Span result = out.build();
    long chars = SpanSize.chars(result);
    if (chars > limits.maxSpanChars()) {
      return new Verdict.Rejected(RejectReason.SPAN_TOO_LARGE,
          "span has " + chars + " characters after the caps, more than " + limits.maxSpanChars());
    }
    return new Verdict.Accepted(result, caps.any(), serviceDefaulted);
  }

  private static String shorten(String id) {
    if (id == null) return "null";
    return id.length() <= MAX_ID_IN_DETAIL ? id : id.substring(0, MAX_ID_IN_DETAIL) + "...";
  }

  /** Applies the caps to one span and counts what it cut. */
  private final class Caps {
    int droppedAttributes;
    int droppedEvents;
    int droppedLinks;
    int truncatedValues;

    boolean any() {
      return droppedAttributes + droppedEvents + droppedLinks + truncatedValues > 0;
    }

    String value(String value) {
      if (value == null || value.length() <= limits.maxValueLength()) return value;
      truncatedValues++;
      int end = limits.maxValueLength();
      // Never split a surrogate pair: the result must stay valid UTF-16 for the Avro string encoder.
      if (Character.isHighSurrogate(value.charAt(end - 1))) end--;
      return value.substring(0, end);
    }

    /** Keeps the first entries in the order the tracer sent them. */
    Map<String, String> attributes(Map<String, String> attributes) {
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : attributes.entrySet()) {
        if (out.size() >= limits.maxAttributes()) {
          droppedAttributes++;
          continue;
        }
        out.put(e.getKey(), value(e.getValue()));
      }
      return out;
    }

    List<SpanEvent> events(List<SpanEvent> events) {
      List<SpanEvent> out = new ArrayList<>(Math.min(events.size(), limits.maxEvents()));
      for (SpanEvent event : events) {
        if (out.size() >= limits.maxEvents()) {
          droppedEvents++;
          continue;
        }
        out.add(new SpanEvent(event.getTimeNanos(), value(event.getName()), attributes(event.getAttributes())));
      }
      return out;
    }

    /** Links whose ids are unusable are dropped and counted rather than failing the whole span. */
    List<SpanLink> links(List<SpanLink> links) {
      List<SpanLink> out = new ArrayList<>(Math.min(links.size(), limits.maxLinks()));
      for (SpanLink link : links) {
        String traceId = SpanIds.traceId(link.getTraceId());
        String spanId = SpanIds.spanId(link.getSpanId());
        if (out.size() >= limits.maxLinks() || traceId == null || spanId == null) {
          droppedLinks++;
          continue;
        }
        out.add(new SpanLink(traceId, spanId, attributes(link.getAttributes())));
      }
      return out;
    }
  }
}
