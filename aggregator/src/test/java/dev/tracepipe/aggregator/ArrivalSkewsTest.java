package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.ArrivalSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.platform.time.ClockSettings;
import dev.tracepipe.platform.time.EventTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalSkewsTest {

  static final EventTime TIME = new EventTime(ClockSettings.defaults());

  @Test
  void spansFromAFastOrASlowClockAreListedWithTheirOffsetFromArrival() {
    long arrived = 1_700_000_000_000L;
    Span honest = TestSpans.root("0000000000000001", "web", arrived - 2_000, 10);
    Span fast = TestSpans.child("0000000000000002", "0000000000000001", "cart", arrived + 600_000, 5);
    Span slow = TestSpans.child("0000000000000003", "0000000000000001", "db", arrived - 7_200_000, 5);
    List<ArrivalSkew> skews = ArrivalSkews.of(List.of(honest, fast, slow), arrived - 1_000, arrived, TIME);
    assertThat(skews).containsExactly(
        new ArrivalSkew("0000000000000002", "cart", fast.getStartTimeNanos() - arrived * 1_000_000L),
        new ArrivalSkew("0000000000000003", "db", slow.getStartTimeNanos() - (arrived - 1_000) * 1_000_000L));
  }

  @Test
  void theListIsCapped() {
    long arrived = 1_700_000_000_000L;
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      spans.add(TestSpans.root(String.format("%016x", i + 1), "web", arrived + 3_600_000, 1));
    }
    assertThat(ArrivalSkews.of(spans, arrived, arrived, TIME)).hasSize(ArrivalSkews.MAX_ENTRIES);
  }
}
