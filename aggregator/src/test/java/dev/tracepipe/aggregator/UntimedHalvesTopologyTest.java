package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A Zipkin trace whose untimed halves share ids with timed spans comes out of the aggregator whole: every span
 * Zipkin keeps, untimed ones merged into their timed piece or flagged and placed inside the trace, in any order.
 */
class UntimedHalvesTopologyTest {
  private static final Duration GAP = Duration.ofSeconds(30);

  @Test
  void untimedHalvesAreKept_mergedOrPlaced_whateverTheArrivalOrder() throws URISyntaxException {
    List<Span> pieces = ZipkinJson.read(Path.of(getClass().getResource("/untimed-halves.json").toURI()));
    Trace first = emitted(pieces);
    List<Span> shuffled = new ArrayList<>(pieces);
    Collections.shuffle(shuffled, new Random(7));

    // 14 pieces: span 7's client came in two pieces, which Zipkin merges; nothing else is merged away.
    assertThat(first.getSpanCount()).isEqualTo(13);
    assertThat(first.getQuality().getDuplicateSpanCount()).isEqualTo(1);
    assertThat(first.getSpans()).filteredOn(Span::getUntimed).extracting(Span::getSpanId)
        .containsExactlyInAnyOrder("0000000000000002", "0000000000000004", "0000000000000007", "0000000000000008",
            "000000000000000a");
    assertThat(first.getStartTimeNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(first.getDurationNanos()).as("untimed spans do not stretch the trace").isEqualTo(90_000_000L);
    assertThat(first.getSpans()).allSatisfy(span -> assertThat(span.getStartTimeNanos())
        .isBetween(first.getStartTimeNanos(), first.getEndTimeNanos()));
    assertThat(emitted(shuffled)).isEqualTo(first);
  }

  private static Trace emitted(List<Span> spans) {
    try (DriverFixture f = new DriverFixture(Timing.withGap(GAP))) {
      f.send(spans).advanceWall(GAP.plusSeconds(1));
      return f.emitted().get(0);
    }
  }
}
