package dev.tracepipe.ingest;

import static dev.tracepipe.ingest.Fixtures.NOW_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanValidatorTest {
  private static final IngestLimits SMALL = new IngestLimits(3, 10, 2, 2, 200, Duration.ofDays(7), Duration.ofDays(1));
  private final SpanValidator validator = new SpanValidator(SMALL);

  private Verdict validate(Span span) {
    return validator.validate(span, NOW_MILLIS);
  }

  private Span accepted(Span span) {
    Verdict verdict = validate(span);
    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    return ((Verdict.Accepted) verdict).span();
  }

  private void assertRejected(Span span, RejectReason reason) {
    assertThat(validate(span)).isInstanceOfSatisfying(Verdict.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(reason));
  }

  @Test
  void validSpanPassesUnchanged() {
    Span span = Fixtures.avroSpan().build();
    Verdict verdict = validate(span);
    assertThat(verdict).isEqualTo(new Verdict.Accepted(span, false, false));
  }

  @Test
  void idsAreNormalised() {
    Span out = accepted(Fixtures.avroSpan().setTraceId("463AC35C9F6413AD").setSpanId("00F067AA0BA902B7")
        .setParentSpanId("0000000000000000").build());
    assertThat(out.getTraceId()).isEqualTo("0000000000000000463ac35c9f6413ad");
    assertThat(out.getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(out.getParentSpanId()).isNull();
  }

  @Test
  void zeroOrMalformedIdsAreRejected() {
    assertRejected(Fixtures.avroSpan().setTraceId("00000000000000000000000000000000").build(),
        RejectReason.INVALID_TRACE_ID);
    assertRejected(Fixtures.avroSpan().setTraceId("").build(), RejectReason.INVALID_TRACE_ID);
    assertRejected(Fixtures.avroSpan().setSpanId("0000000000000000").build(), RejectReason.INVALID_SPAN_ID);
    assertRejected(Fixtures.avroSpan().setSpanId("12345").build(), RejectReason.INVALID_SPAN_ID);
    assertRejected(Fixtures.avroSpan().setParentSpanId("xyz").build(), RejectReason.INVALID_PARENT_SPAN_ID);
  }

  @Test
  void negativeDurationIsRejectedButZeroIsFine() {
    assertRejected(Fixtures.avroSpan().setDurationNanos(-1).build(), RejectReason.NEGATIVE_DURATION);
    assertThat(accepted(Fixtures.avroSpan().setDurationNanos(0).build()).getDurationNanos()).isZero();
  }

  @Test
  void missingStartTimeKeepsTheSpanFlaggedUntimedAtItsArrival() {
    Span out = accepted(Fixtures.avroSpan().setStartTimeNanos(0).setDurationNanos(5_000).build());
    assertThat(out.getUntimed()).isTrue();
    assertThat(out.getStartTimeNanos()).isEqualTo(NOW_MILLIS * 1_000_000L);
    assertThat(out.getDurationNanos()).isEqualTo(5_000);
  }

  @Test
  void anUntimedSpanIsNeverOutOfRange() {
    Span out = accepted(Fixtures.avroSpan().setUntimed(true).setStartTimeNanos(1).build());
    assertThat(out.getStartTimeNanos()).isEqualTo(NOW_MILLIS * 1_000_000L);
  }

  @Test
  void startOutsideThePlausibilityWindowIsRejected() {
    long now = NOW_MILLIS * 1_000_000L;
    long day = Duration.ofDays(1).toNanos();
    assertRejected(Fixtures.avroSpan().setStartTimeNanos(now - 8 * day).build(), RejectReason.TIMESTAMP_OUT_OF_RANGE);
    assertRejected(Fixtures.avroSpan().setStartTimeNanos(now + day + 1).build(), RejectReason.TIMESTAMP_OUT_OF_RANGE);
    accepted(Fixtures.avroSpan().setStartTimeNanos(now - 7 * day).build());
    accepted(Fixtures.avroSpan().setStartTimeNanos(now + day).build());
  }

  @Test
  void disabledWindowAcceptsOldSpansForReplays() {
    SpanValidator replay = new SpanValidator(SMALL.withoutTimestampWindow());
    Span old = Fixtures.avroSpan().setStartTimeNanos(1_470_150_004_008_762_000L).build();
    assertThat(replay.validate(old, NOW_MILLIS)).isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void missingServiceIsDefaultedAndFlagged() {
    Verdict verdict = validate(Fixtures.avroSpan().setService(" ").build());
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Accepted.class, ok -> {
      assertThat(ok.serviceDefaulted()).isTrue();
      assertThat(ok.span().getService()).isEqualTo(SpanValidator.UNKNOWN_SERVICE);
      assertThat(ok.span().getResourceAttributes()).containsEntry(SpanValidator.SERVICE_DEFAULTED_ATTRIBUTE, "true");
    });
  }

  @Test
  void attributesBeyondTheCapAreDroppedInOrderAndCounted() {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) attributes.put("k" + i, "v" + i);
    Verdict verdict = validate(Fixtures.avroSpan().setAttributes(attributes).setDroppedAttributesCount(1).build());
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Accepted.class, ok -> {
      assertThat(ok.capped()).isTrue();
      assertThat(ok.span().getAttributes()).containsOnlyKeys("k0", "k1", "k2");
      assertThat(ok.span().getDroppedAttributesCount()).isEqualTo(1 + 2);
    });
  }

  @Test
  void longValuesAreTruncatedAndCounted() {
    Span out = accepted(Fixtures.avroSpan()
        .setName("a-very-long-operation-name")
        .setAttributes(new LinkedHashMap<>(Map.of("sql", "SELECT * FROM carts WHERE id = ?", "ok", "short")))
        .setStatus(new Status(StatusCode.ERROR, "connection refused"))
        .build());
    assertThat(out.getName()).isEqualTo("a-very-lon");
    assertThat(out.getAttributes()).containsEntry("sql", "SELECT * F").containsEntry("ok", "short");
    assertThat(out.getStatus()).isEqualTo(new Status(StatusCode.ERROR, "connection"));
    assertThat(out.getTruncatedValuesCount()).isEqualTo(3);
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    String value = "123456789\uD83D\uDE00"; // the emoji straddles the 10-character cap
    Span out = accepted(Fixtures.avroSpan().setAttributes(new LinkedHashMap<>(Map.of("k", value))).build());
    assertThat(out.getAttributes().get("k")).isEqualTo("123456789");
  }

  @Test
  void eventsAndLinksBeyondTheCapAreDroppedAndCounted() {
    List<SpanEvent> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) events.add(new SpanEvent((long) i, "e" + i, new LinkedHashMap<>()));
    List<SpanLink> links = List.of(
        new SpanLink("463AC35C9F6413AD", "00F067AA0BA902B7", new LinkedHashMap<>()),
        new SpanLink("00000000000000000000000000000000", "00f067aa0ba902b7", new LinkedHashMap<>()),
        new SpanLink(Fixtures.TRACE_ID, "53995c3f42cd8ad8", new LinkedHashMap<>()),
        new SpanLink(Fixtures.TRACE_ID, "1111111111111111", new LinkedHashMap<>()));
    Span out = accepted(Fixtures.avroSpan().setEvents(events).setLinks(links).build());
    assertThat(out.getEvents()).extracting(SpanEvent::getName).containsExactly("e0", "e1");
    assertThat(out.getDroppedEventsCount()).isEqualTo(1);
    assertThat(out.getLinks()).extracting(SpanLink::getTraceId, SpanLink::getSpanId).containsExactly(
        org.assertj.core.groups.Tuple.tuple("0000000000000000463ac35c9f6413ad", "00f067aa0ba902b7"),
        org.assertj.core.groups.Tuple.tuple(Fixtures.TRACE_ID, "53995c3f42cd8ad8"));
    assertThat(out.getDroppedLinksCount()).as("one invalid link, one over the cap").isEqualTo(2);
  }

  @Test
  void spanStillTooLargeAfterTheCapsIsRejected() {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) attributes.put("a-rather-long-attribute-key-number-" + i, "0123456789");
    List<SpanEvent> events = new ArrayList<>();
    for (int i = 0; i < 2; i++) events.add(new SpanEvent((long) i, "e", new LinkedHashMap<>(attributes)));
    assertRejected(Fixtures.avroSpan().setAttributes(attributes).setEvents(events).build(), RejectReason.SPAN_TOO_LARGE);
  }
}
