package dev.tracepipe.trace;

import static dev.tracepipe.trace.Spans.A;
import static dev.tracepipe.trace.Spans.B;
import static dev.tracepipe.trace.Spans.BASE;
import static dev.tracepipe.trace.Spans.C;
import static dev.tracepipe.trace.Spans.at;
import static dev.tracepipe.trace.Spans.span;
import static dev.tracepipe.trace.Spans.untimed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where an untimed span that nothing completed is placed. */
class UntimedPlacementTest {

  @Test
  void untimedSpanWithChildren_coversThem_andStaysFlagged() {
    Span root = at(span(A, null, SpanKind.SERVER, "web"), 0, 100).build();
    Span lonely = untimed(span(B, A, SpanKind.SERVER, "app")).build();
    Span first = at(span(C, B, SpanKind.CLIENT, "app"), 10, 20).build();
    Span second = at(span("000000000000000d", B, SpanKind.CLIENT, "app"), 40, 30).build();

    List<Span> placed = UntimedPlacement.place(List.of(root, lonely, first, second));

    assertThat(placed.get(1).getUntimed()).isTrue();
    assertThat(placed.get(1).getStartTimeNanos()).isEqualTo(BASE + 10_000_000);
    assertThat(placed.get(1).getDurationNanos()).isEqualTo(60_000_000);
  }

  @Test
  void untimedLeaf_startsWithItsParent() {
    Span root = at(span(A, null, SpanKind.SERVER, "web"), 5, 100).build();
    Span leaf = untimed(span(B, A, SpanKind.CLIENT, "web")).build();

    Span placed = UntimedPlacement.place(List.of(root, leaf)).get(1);

    assertThat(placed.getStartTimeNanos()).isEqualTo(BASE + 5_000_000);
    assertThat(placed.getDurationNanos()).isZero();
  }

  @Test
  void untimedSpanWithNothingTimedAround_keepsItsArrivalTime() {
    Span alone = untimed(span(A, null, SpanKind.SERVER, "web")).build();

    assertThat(UntimedPlacement.place(List.of(alone))).containsExactly(alone);
  }
}
