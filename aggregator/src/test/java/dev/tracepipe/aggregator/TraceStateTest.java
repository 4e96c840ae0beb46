package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.aggregator.SpanAdmission.Outcome;
import dev.tracepipe.aggregator.TraceState.Phase;
import dev.tracepipe.aggregator.TraceState.Round;
import dev.tracepipe.aggregator.TraceState.TimeBase;
import dev.tracepipe.avro.TraceCompletion;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TraceStateTest {

  private static final Timing TIMING = new Timing(Duration.ofSeconds(30), Duration.ofMinutes(5),
      Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(1));

  @Test
  void openTraceIsDueAtTheGapAfterItsLastSpanOrTheMaximumAfterItsFirstOnEachClock() {
    TraceState state = TraceState.first(1_000, 50_000).arrived(20_000, 60_000, Outcome.ADD, 10, 1);

    assertThat(state.due(TimeBase.WALL_CLOCK, TIMING)).isEqualTo(50_000);
    assertThat(state.due(TimeBase.STREAM_TIME, TIMING)).isEqualTo(90_000);
    TraceState busy = state.arrived(299_000, 349_000, Outcome.ADD, 10, 2);
    assertThat(busy.due(TimeBase.WALL_CLOCK, TIMING)).as("max duration first").isEqualTo(301_000);
  }

  @Test
  void completionIsInactivityWhenEitherClockSawTheGapElseMaxDuration() {
    TraceState state = TraceState.first(0, 0);

    assertThat(state.completion(30_000, 0, TIMING)).isEqualTo(TraceCompletion.INACTIVITY_GAP);
    assertThat(state.completion(0, 30_000, TIMING)).isEqualTo(TraceCompletion.INACTIVITY_GAP);
    assertThat(state.completion(29_999, 29_999, TIMING)).isEqualTo(TraceCompletion.MAX_DURATION);
  }

  @Test
  void emittedTraceIsRetainedThenBecomesAMarkerThenFragmentsStartFromZero() {
    TraceState emitted = TraceState.first(0, 0).arrived(0, 0, Outcome.ADD, 100, 1).arrived(0, 0, Outcome.DROP, 0, 2)
        .emitted(40_000, 35_000);
    assertThat(emitted.phase()).isEqualTo(Phase.EMITTED);
    assertThat(emitted.version()).isEqualTo(1);
    assertThat(emitted.due(TimeBase.WALL_CLOCK, TIMING)).isEqualTo(100_000);

    TraceState late = emitted.reopened(50_000, 45_000);
    assertThat(late.round()).isEqualTo(Round.LATE);
    assertThat(late.keptSpans()).isEqualTo(1);
    assertThat(late.due(TimeBase.WALL_CLOCK, TIMING)).as("its own maximum starts again").isEqualTo(80_000);

    TraceState marker = emitted.purged();
    assertThat(marker.due(TimeBase.STREAM_TIME, TIMING)).isEqualTo(35_000 + 3_600_000);
    TraceState fragment = marker.reopened(200_000, 200_000);
    assertThat(fragment.round()).isEqualTo(Round.FRAGMENT);
    assertThat(fragment.keptSpans()).isZero();
    assertThat(fragment.droppedSpans()).isZero();
    assertThat(fragment.emitted(240_000, 240_000).phase()).as("a fragment keeps no spans").isEqualTo(Phase.MARKER);
    assertThatThrownBy(() -> late.reopened(0, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void serdeRoundTripsEveryFieldAndRejectsUnknownFormats() {
    TraceState state = new TraceState(Phase.EMITTED, Round.LATE, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        SpanHashes.of(9, -3, 5, 5), SpanRecords.of(0, 2, 5));
    TraceStateSerde serde = new TraceStateSerde();

    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", state))).isEqualTo(state);
    assertThatThrownBy(() -> TraceStateSerde.decode(new byte[] {7})).isInstanceOf(SerializationException.class);
    byte[] truncated = Arrays.copyOf(TraceStateSerde.encode(state), TraceStateSerde.encode(state).length - 1);
    assertThatThrownBy(() -> TraceStateSerde.decode(truncated)).isInstanceOf(SerializationException.class);
  }

  @Test
  void aStateWrittenBeforeHashesReadsWithoutThem() {
    TraceState state = new TraceState(Phase.OPEN, Round.NEW, 0, 1, 2, 3, 4, -1, -1, 2, 900, 0, 0, 11, 12,
        SpanHashes.of(1, 2), SpanRecords.NONE);
    byte[] current = TraceStateSerde.encode(state);
    // Format 1: the same fields, no hash count and no hashes, no record count.
    byte[] before = Arrays.copyOf(current, current.length - 4 * Integer.BYTES);
    before[0] = 1;

    TraceState read = TraceStateSerde.decode(before);
    assertThat(read.hashes()).isEqualTo(SpanHashes.NONE);
    assertThat(read.withHashes(SpanHashes.of(2, 1))).isEqualTo(state);
    assertThat(read.recordsKnown()).as("two spans kept somewhere in the store").isFalse();
  }

  @Test
  void aStateWrittenBeforeRecordsReadsWithoutThemAndNeverCountsThemAsKnown() {
    TraceState state = new TraceState(Phase.OPEN, Round.NEW, 0, 1, 2, 3, 4, -1, -1, 2, 900, 0, 0, 11, 12,
        SpanHashes.of(1, 2), SpanRecords.of(0));
    byte[] current = TraceStateSerde.encode(state);
    // Format 2: hashes, then no record count and no records.
    byte[] before = Arrays.copyOf(current, current.length - 2 * Integer.BYTES);
    before[0] = 2;

    TraceState read = TraceStateSerde.decode(before);
    assertThat(read.records()).isEqualTo(SpanRecords.NONE);
    assertThat(read.hashes()).isEqualTo(state.hashes());
    assertThat(read.recordsKnown()).isFalse();
    // A record written after the upgrade is not all of them: the ones before it are still found by a scan.
    assertThat(read.arrived(5, 5, Outcome.ADD, 10, 3).stored(2).recordsKnown()).isFalse();
    byte[] padded = Arrays.copyOf(before, before.length + 1);
    assertThatThrownBy(() -> TraceStateSerde.decode(padded)).isInstanceOf(SerializationException.class);
  }

  @Test
  void recordsFollowTheRoundAndAreForgottenWithTheSpans() {
    TraceState open = TraceState.first(0, 0).arrived(0, 0, Outcome.ADD, 10, 1).stored(0)
        .arrived(1, 1, Outcome.ADD, 10, 2).arrived(1, 1, Outcome.ADD, 10, 3).stored(1);
    assertThat(open.records()).isEqualTo(SpanRecords.of(0, 1));
    assertThat(open.recordsKnown()).isTrue();
    TraceState late = open.emitted(5, 5).reopened(6, 6).arrived(6, 6, Outcome.ADD, 10, 4).stored(3);
    assertThat(late.records()).as("a late update adds to the kept spans").isEqualTo(SpanRecords.of(0, 1, 3));
    assertThat(late.emitted(7, 7).purged().records()).isEqualTo(SpanRecords.NONE);
    TraceState fragment = late.emitted(7, 7).purged().reopened(8, 8);
    assertThat(fragment.records()).isEqualTo(SpanRecords.NONE);
    assertThat(fragment.recordsKnown()).isTrue();
    assertThat(fragment.arrived(8, 8, Outcome.ADD, 10, 5).stored(0).emitted(9, 9).records())
        .as("a fragment's spans go at emission").isEqualTo(SpanRecords.NONE);
  }

  @Test
  void hashesAreAMultisetKeptSorted() {
    SpanHashes hashes = SpanHashes.NONE.with(7).with(-2).with(7).with(3);
    assertThat(hashes).isEqualTo(SpanHashes.of(3, 7, -2, 7));
    assertThat(hashes.size()).isEqualTo(4);
    assertThat(hashes.contains(7)).isTrue();
    assertThat(hashes.contains(4)).isFalse();
    assertThat(List.of(hashes.get(0), hashes.get(1), hashes.get(2), hashes.get(3))).containsExactly(-2, 3, 7, 7);
  }
}
