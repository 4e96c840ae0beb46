package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The trace must not depend on the order spans arrive in, nor on copies of them. */
class ArrivalOrderPropertyTest {

  private static final String TRACE = "0123456789abcdef0123456789abcdef";

  @Property(tries = 300)
  void assemblyIgnoresArrivalOrderAndCopies(@ForAll @IntRange(min = 1, max = 60) int size,
      @ForAll @IntRange(max = 30) int copies, @ForAll long structureSeed, @ForAll long orderSeed) {
    List<Span> spans = new RandomTraces(structureSeed).trace(TRACE, size, 1_000);
    RandomTraces order = new RandomTraces(orderSeed);
    List<Span> first = order.arrivals(spans, copies);
    List<Span> second = reversed(first);
    List<Span> third = order.arrivals(first, 0);

    Trace expected = new SpanCollector().addAll(first).assemble(TRACE);

    assertThat(new SpanCollector().addAll(second).assemble(TRACE)).isEqualTo(expected);
    assertThat(new SpanCollector().addAll(third).assemble(TRACE)).isEqualTo(expected);
    assertThat(expected.getQuality().getDuplicateSpanCount()).isEqualTo(first.size() - expected.getSpanCount());
  }

  @Property(tries = 20)
  void aggregatorEmitsTheSameTraceForAnyOrderWithCopies(@ForAll @IntRange(min = 1, max = 40) int size,
      @ForAll @IntRange(max = 20) int copies, @ForAll long structureSeed, @ForAll long orderSeed) {
    // Timed near the records' arrival, so no span is flagged for its clock (ArrivalSkewsTest covers that).
    List<Span> spans = new RandomTraces(structureSeed).trace(TRACE, size, DriverFixture.T0.toEpochMilli());
    List<Span> arrivals = new RandomTraces(orderSeed).arrivals(spans, copies);
    Trace expected = new SpanCollector().addAll(reversed(arrivals)).assemble(TRACE);

    try (DriverFixture fixture = new DriverFixture(Timing.withGap(Duration.ofSeconds(5)))) {
      fixture.send(arrivals).advanceWall(Duration.ofSeconds(6));
      List<Trace> out = fixture.emitted();

      assertThat(out).containsExactly(expected);
      assertThat(expected.getQuality().getDuplicateSpanCount()).isEqualTo(arrivals.size() - expected.getSpanCount());
    }
  }

  private static List<Span> reversed(List<Span> spans) {
    List<Span> copy = new ArrayList<>(spans);
    Collections.reverse(copy);
    return copy;
  }
}
