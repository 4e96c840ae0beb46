package dev.tracepipe.trace;

import static dev.tracepipe.trace.Spans.A;
import static dev.tracepipe.trace.Spans.B;
import static dev.tracepipe.trace.Spans.BASE;
import static dev.tracepipe.trace.Spans.span;
import static dev.tracepipe.trace.Spans.untimed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule of Zipkin's Trace.merge as HalfMerger applies it to Avro spans. */
class HalfMergerTest {

  @Test
  void untimedPiece_mergesIntoTheTimedSpanOfItsIdFlagAndService_timesFromTheTimedPiece() {
    Span timed = span(B, A, SpanKind.SERVER, "app").setShared(true).build();
    Span piece = untimed(span(B, null, SpanKind.UNSPECIFIED, "app").setShared(true))
        .setAttributes(Map.of("error", "late")).build();

    List<Span> merged = HalfMerger.merge(List.of(piece, timed));

    assertThat(merged).singleElement().satisfies(span -> {
      assertThat(span.getUntimed()).isFalse();
      assertThat(span.getStartTimeNanos()).isEqualTo(BASE);
      assertThat(span.getDurationNanos()).isEqualTo(1_000_000);
      assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
      assertThat(span.getParentSpanId()).isEqualTo(A);
      assertThat(SpanFacts.isError(span)).isTrue();
    });
  }

  @Test
  void pieceWithoutService_completedByTheNamedPiece() {
    Span named = span(B, A, SpanKind.CLIENT, "web").build();
    Span defaulted = untimed(span(B, A, SpanKind.CLIENT, "unknown_service"))
        .setResourceAttributes(Map.of(SpanFacts.SERVICE_DEFAULTED, "true")).build();

    assertThat(HalfMerger.merge(List.of(defaulted, named))).singleElement().satisfies(span -> {
      assertThat(span.getService()).isEqualTo("web");
      assertThat(SpanFacts.service(span)).isEqualTo("web");
    });
  }

  @Test
  void contradictingEndpoints_stayTwoSpans() {
    Span one = Spans.ip(span(B, A, SpanKind.SERVER, "app").setShared(true), "10.0.0.1").build();
    Span other = Spans.ip(span(B, A, SpanKind.SERVER, "app").setShared(true), "10.0.0.2").build();

    assertThat(HalfMerger.merge(List.of(one, other))).hasSize(2);
  }

  @Test
  void serverAfterClientOfTheSameId_isTheSharedHalf_andGetsTheClientsParent() {
    Span client = span(B, A, SpanKind.CLIENT, "web").build();
    Span server = span(B, null, SpanKind.SERVER, "app").build();

    List<Span> merged = HalfMerger.merge(List.of(server, client));

    assertThat(merged).extracting(Span::getKind, Span::getShared, Span::getParentSpanId).containsExactly(
        org.assertj.core.groups.Tuple.tuple(SpanKind.CLIENT, false, A),
        org.assertj.core.groups.Tuple.tuple(SpanKind.SERVER, true, A));
    assertThat(merged.get(1).getAttributes()).containsEntry(SpanFacts.SHARED_INFERRED, "true");
  }

  @Test
  void sharedClientAndServerOfOneService_areNotPiecesOfOneSpan() {
    Span client = span(B, A, SpanKind.CLIENT, "web").build();
    Span server = span(B, A, SpanKind.SERVER, "web").setShared(true).build();

    assertThat(HalfMerger.merge(List.of(server, client))).hasSize(2);
  }

  @Test
  void mergingAgain_changesNothing() {
    List<Span> once = HalfMerger.merge(List.of(span(B, A, SpanKind.CLIENT, "web").build(),
        span(B, null, SpanKind.SERVER, "app").build(), untimed(span(B, null, SpanKind.SERVER, "app")).build()));

    assertThat(HalfMerger.merge(once)).hasSize(once.size());
  }
}
