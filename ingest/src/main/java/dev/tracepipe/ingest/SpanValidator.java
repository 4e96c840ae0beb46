package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
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
  private static final int FIELDS = Span.getClassSchema().getFields().size();

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
    Span out;
    if (span.getUntimed() || span.getStartTimeNanos() <= 0) {
      // Zipkin keeps spans without a timestamp (often one half of a span whose other half is timed): so do we,
      // placed at their arrival and flagged; the aggregator merges them with their timed piece or places them.
      out = shallowCopy(span);
      out.setUntimed(true);
      out.setStartTimeNanos(referenceEpochMillis * NANOS_PER_MILLI);
      out.setDurationNanos(Math.max(0, span.getDurationNanos()));
    } else {
      Verdict.Rejected timeProblem = checkTimes(span, referenceEpochMillis);
      if (timeProblem != null) return timeProblem;
      out = shallowCopy(span);
    }
    return accept(out, traceId, spanId, parentSpanId);
  }

  /**
   * A new span sharing the input's strings, maps and lists: validation replaces what it changes instead of copying
   * every map and list of every span first, and the input stays as it was.
   */
  private static Span shallowCopy(Span span) {
    Span copy = new Span();
    for (int i = 0; i < FIELDS; i++) copy.put(i, span.get(i));
    return copy;
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

  /** Caps and completes {@code out}, a copy made for this span alone. */
  private Verdict accept(Span out, String traceId, String spanId, String parentSpanId) {
    Caps caps = new Caps();
    // What the record builder used to enforce: a name is required, a missing kind is the schema's default.
    Objects.requireNonNull(out.getName(), "name == null");
    if (out.getKind() == null) out.setKind(SpanKind.UNSPECIFIED);
    out.setTraceId(traceId);
    out.setSpanId(spanId);
    out.setParentSpanId(parentSpanId);
    out.setName(caps.value(out.getName()));
    out.setAttributes(caps.attributes(out.getAttributes()));
    out.setResourceAttributes(caps.attributes(out.getResourceAttributes()));
    out.setEvents(caps.events(out.getEvents()));
    out.setLinks(caps.links(out.getLinks()));
    Status status = out.getStatus();
    if (status.getMessage() != null) {
      out.setStatus(new Status(status.getCode(), caps.value(status.getMessage())));
    }
    boolean serviceDefaulted = out.getService() == null || out.getService().isBlank();
    if (serviceDefaulted) {
      out.setService(UNKNOWN_SERVICE);
      // A copy in the input's order, so the flag is the last entry whatever kind of map the input was.
      Map<String, String> resource = new LinkedHashMap<>(out.getResourceAttributes());
      resource.put(SERVICE_DEFAULTED_ATTRIBUTE, "true");
      out.setResourceAttributes(resource);
    }
    out.setDroppedAttributesCount(out.getDroppedAttributesCount() + caps.droppedAttributes);
    out.setDroppedEventsCount(out.getDroppedEventsCount() + caps.droppedEvents);
    out.setDroppedLinksCount(out.getDroppedLinksCount() + caps.droppedLinks);
    out.setTruncatedValuesCount(out.getTruncatedValuesCount() + caps.truncatedValues);
    Span result = out;
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

    /** Keeps the first entries in the order the tracer sent them; the same map when nothing is cut. */
    Map<String, String> attributes(Map<String, String> attributes) {
      if (withinCaps(attributes)) return attributes;
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

    private boolean withinCaps(Map<String, String> attributes) {
      if (attributes.size() > limits.maxAttributes()) return false;
      for (String value : attributes.values()) {
        if (value != null && value.length() > limits.maxValueLength()) return false;
      }
      return true;
    }

    /** The same list when nothing in it is cut. */
    List<SpanEvent> events(List<SpanEvent> events) {
      List<SpanEvent> out = new ArrayList<>(Math.min(events.size(), limits.maxEvents()));
      boolean same = true;
      for (SpanEvent event : events) {
        if (out.size() >= limits.maxEvents()) {
          droppedEvents++;
          same = false;
          continue;
        }
        String name = value(event.getName());
        Map<String, String> attributes = attributes(event.getAttributes());
        boolean unchanged = name == event.getName() && attributes == event.getAttributes();
        out.add(unchanged ? event : new SpanEvent(event.getTimeNanos(), name, attributes));
        same &= unchanged;
      }
      return same ? events : out;
    }

    /** Links whose ids are unusable are dropped and counted rather than failing the whole span. */
    List<SpanLink> links(List<SpanLink> links) {
      List<SpanLink> out = new ArrayList<>(Math.min(links.size(), limits.maxLinks()));
      boolean same = true;
      for (SpanLink link : links) {
        String traceId = SpanIds.traceId(link.getTraceId());
        String spanId = SpanIds.spanId(link.getSpanId());
        if (out.size() >= limits.maxLinks() || traceId == null || spanId == null) {
          droppedLinks++;
          same = false;
          continue;
        }
        Map<String, String> attributes = attributes(link.getAttributes());
        boolean unchanged = traceId.equals(link.getTraceId()) && spanId.equals(link.getSpanId())
            && attributes == link.getAttributes();
        out.add(unchanged ? link : new SpanLink(traceId, spanId, attributes));
        same &= unchanged;
      }
      return same ? links : out;
    }
  }
}
