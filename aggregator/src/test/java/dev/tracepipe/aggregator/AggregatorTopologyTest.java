package dev.tracepipe.aggregator;

import static dev.tracepipe.aggregator.TestSpans.child;
import static dev.tracepipe.aggregator.TestSpans.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.ClockSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AggregatorTopologyTest {

  private static final Duration GAP = Duration.ofSeconds(30);
  private static final String A = "0000000000000000000000000000000a";
  private static final String B = "0000000000000000000000000000000b";
  private static final Span A1 = TestSpans.span(A, "00000000000000a1", null, "web", 1000, 50).build();
  private static final Span A2 = TestSpans.span(A, "00000000000000a2", "00000000000000a1", "db", 1010, 20).build();
  private static final Span A3 = TestSpans.span(A, "00000000000000a3", "00000000000000a1", "auth", 1020, 5).build();
  private static final Span A4 = TestSpans.span(A, "00000000000000a4", "00000000000000a1", "mail", 1030, 5).build();

  private DriverFixture fixture;

  private DriverFixture start(Timing timing) {
    fixture = new DriverFixture(timing);
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void completesByInactivityGapWhenStreamTimeMovesOn() {
    DriverFixture f = start(Timing.withGap(GAP));
    f.send(A1, A2).streamTime(Duration.ofSeconds(29)).send(Span.newBuilder(root("00000000000000b1", "web", 0, 1))
        .setTraceId(B).build());
    assertThat(f.emitted()).as("29 s of stream time is within the gap").isEmpty();

    f.streamTime(Duration.ofSeconds(31)).send(TestSpans.span(B, "00000000000000b2", "00000000000000b1", "db", 1, 1)
        .build());

    List<Trace> out = f.emitted();
    assertThat(out).hasSize(1);
    Trace trace = out.get(0);
    assertThat(trace.getTraceId()).isEqualTo(A);
    assertThat(trace.getVersion()).isEqualTo(1);
    assertThat(trace.getCompletion()).isEqualTo(TraceCompletion.INACTIVITY_GAP);
    assertThat(trace.getSpans()).containsExactly(A1, A2);
    assertThat(trace.getRootService()).isEqualTo("web");
  }

  @Test
  void fragmentsAssembleAsTheirSpansOneByOneWouldWithCopiesCountedAndStrayTracesApart() {
    DriverFixture f = start(Timing.withGap(GAP));
    Span b1 = Span.newBuilder(root("00000000000000b1", "web", 0, 1)).setTraceId(B).build();
    // A copy inside one fragment, a span of another trace under A's key, then the rest in a fragment of its own.
    f.sendFragment(A, A1, A2, A2, b1).send(A3).sendFragment(A, A4);
    f.advanceWall(GAP.plusSeconds(1));

    List<Trace> out = f.emitted();
    assertThat(out).extracting(Trace::getTraceId).containsExactlyInAnyOrder(A, B);
    Trace a = out.stream().filter(t -> t.getTraceId().equals(A)).findFirst().orElseThrow();
    assertThat(a.getSpans()).containsExactlyInAnyOrder(A1, A2, A3, A4);
    assertThat(a.getQuality().getDuplicateSpanCount()).isEqualTo(1);
    assertThat(out.stream().filter(t -> t.getTraceId().equals(B)).findFirst().orElseThrow().getSpans())
        .containsExactly(b1);
    assertThat(f.counter("tracepipe.aggregator.spans.received")).isEqualTo(6);
    assertThat(f.counter("tracepipe.aggregator.spans.misrouted")).isEqualTo(1);
  }

  @Test
  void spansKeptOneRecordEachBeforeFragmentsAreFoundWhenACopyComesAndEmittedWithTheNewOnes() {
    DriverFixture f = start(Timing.withGap(GAP));
    // What the aggregator kept of an emitted trace before fragments: a record per span, a state without hashes.
    KeyValueStore<String, byte[]> spanStore = f.driver.getKeyValueStore(AggregatorTopology.SPAN_STORE);
    KeyValueStore<String, TraceState> traceStore = f.driver.getKeyValueStore(AggregatorTopology.TRACE_STORE);
    long t0 = DriverFixture.T0.toEpochMilli();
    byte[] a1 = f.storedSpan(A1);
    byte[] a2 = f.storedSpan(A2);
    spanStore.put(A + "/" + A1.getSpanId() + "/c/0123456789abcdef01234567", a1);
    spanStore.put(A + "/" + A2.getSpanId() + "/c/89abcdef0123456789abcdef", a2);
    traceStore.put(A, new TraceState(TraceState.Phase.EMITTED, TraceState.Round.NEW, 1, t0, t0, t0, t0, t0, t0, 2,
        EncodedSpans.size(a1) + EncodedSpans.size(a2), 0, 0, -1, -1, SpanHashes.NONE, SpanRecords.NONE));

    f.sendFragment(A, A2).advanceWall(GAP.plusSeconds(1));
    assertThat(f.emitted()).as("a copy of a span kept before: no new version").isEmpty();

    f.sendFragment(A, A3).advanceWall(GAP.plusSeconds(1));
    assertThat(f.emitted()).singleElement().satisfies(trace -> {
      assertThat(trace.getVersion()).isEqualTo(2);
      assertThat(trace.getSpans()).containsExactlyInAnyOrder(A1, A2, A3);
      assertThat(trace.getQuality().getDuplicateSpanCount()).as("A2 again").isEqualTo(1);
    });
    assertThat(storedSpanKeys(f)).hasSize(3);
    f.advanceWall(GAP.multipliedBy(2).plusSeconds(2));
    assertThat(storedSpanKeys(f)).as("old records and new ones go at the end of retention").isEmpty();
  }

  private static List<String> storedSpanKeys(DriverFixture f) {
    List<String> keys = new java.util.ArrayList<>();
    KeyValueStore<String, byte[]> spanStore = f.driver.getKeyValueStore(AggregatorTopology.SPAN_STORE);
    try (var it = spanStore.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }

  @Test
  void quietPartitionCompletesOnWallClockAloneWithinGapPlusOneInterval() {
    DriverFixture f = start(Timing.withGap(GAP));
    f.send(A1, A2, A3);

    f.advanceWall(GAP.minusMillis(1));
    assertThat(f.emitted()).isEmpty();
    f.advanceWall(Duration.ofSeconds(1));

    List<Trace> out = f.emitted();
    assertThat(out).extracting(Trace::getTraceId, Trace::getSpanCount, Trace::getCompletion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(A, 3, TraceCompletion.INACTIVITY_GAP));
    assertThat(f.meters.get("tracepipe.aggregator.emission.delay").timer().max(TimeUnit.MILLISECONDS))
        .isBetween((double) GAP.toMillis(), GAP.toMillis() + 1000.0);
    f.advanceWall(Duration.ofMinutes(5));
    assertThat(f.emitted()).as("emitted once").isEmpty();
  }

  @Test
  void completesByMaxDurationWhileSpansKeepComing() {
    DriverFixture f = start(Timing.withGap(GAP));
    for (int i = 0; i <= 15; i++) {
      f.send(TestSpans.span(A, String.format("%016x", i + 1), i == 0 ? null : "0000000000000001", "web", i * 20_000L,
          10).build());
      f.advanceWall(Duration.ofSeconds(20));
    }
    // Spans arrived at 0, 20, ..., 300 s of wall time, never 30 s apart; the 5-minute maximum fell due at 300 s,
    // before the span sent then, which opened a late round.
    List<Trace> first = f.emitted();
    assertThat(first).hasSize(1);
    assertThat(first.get(0).getCompletion()).isEqualTo(TraceCompletion.MAX_DURATION);
    assertThat(first.get(0).getSpanCount()).isEqualTo(15);

    f.send(TestSpans.span(A, "0000000000000099", "0000000000000001", "web", 330_000L, 10).build());
    f.advanceWall(GAP.plusSeconds(1));

    List<Trace> second = f.emitted();
    assertThat(second).extracting(Trace::getVersion, Trace::getCompletion, Trace::getSpanCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, TraceCompletion.LATE_UPDATE, 17));
  }

  @Test
  void lateSpanWithinRetentionReemitsTheWholeTraceAndAfterRetentionAFragment() {
    DriverFixture f = start(Timing.withGap(GAP));
    f.send(A1, A2).advanceWall(GAP.plusSeconds(1));
    assertThat(f.emitted()).extracting(Trace::getVersion).containsExactly(1);

    f.advanceWall(Duration.ofSeconds(10)).send(A3).advanceWall(GAP.plusSeconds(1));
    List<Trace> update = f.emitted();
    assertThat(update).hasSize(1);
    assertThat(update.get(0).getVersion()).isEqualTo(2);
    assertThat(update.get(0).getCompletion()).isEqualTo(TraceCompletion.LATE_UPDATE);
    assertThat(update.get(0).getSpans()).containsExactly(A1, A2, A3);

    // Late retention (2 x gap) runs from the second emission; past it the spans are gone but the marker remains.
    f.advanceWall(GAP.multipliedBy(2).plusSeconds(2)).send(A4).advanceWall(GAP.plusSeconds(1));
    List<Trace> fragment = f.emitted();
    assertThat(fragment).hasSize(1);
    assertThat(fragment.get(0).getVersion()).isEqualTo(3);
    assertThat(fragment.get(0).getCompletion()).isEqualTo(TraceCompletion.LATE_FRAGMENT);
    assertThat(fragment.get(0).getSpans()).containsExactly(A4);
    assertThat(fragment.get(0).getQuality().getOrphanSpanCount()).as("its parent was in an earlier version")
        .isEqualTo(1);
    assertThat(f.counter("tracepipe.aggregator.spans.late", "kind", "update")).isEqualTo(1);
    assertThat(f.counter("tracepipe.aggregator.spans.late", "kind", "fragment")).isEqualTo(1);
    assertThat(storedSpanKeys(f)).as("the trace's records at the end of retention, the fragment's at its emission")
        .isEmpty();
  }

  @Test
  void fragmentsKeepComingWhileTheMarkerLivesAndAfterItTheTraceIdStartsAfresh() {
    DriverFixture f = start(Timing.withGap(GAP));
    f.send(A1).advanceWall(GAP.plusSeconds(1)).advanceWall(GAP.multipliedBy(2).plusSeconds(2));
    f.send(A2).advanceWall(GAP.plusSeconds(1));
    f.send(A3).advanceWall(GAP.plusSeconds(1));
    assertThat(f.emitted()).extracting(Trace::getVersion, Trace::getCompletion).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, TraceCompletion.INACTIVITY_GAP),
        org.assertj.core.groups.Tuple.tuple(2, TraceCompletion.LATE_FRAGMENT),
        org.assertj.core.groups.Tuple.tuple(3, TraceCompletion.LATE_FRAGMENT));

    f.advanceWall(Timing.DEFAULT_MARKER_RETENTION.plusSeconds(2)).send(A4).advanceWall(GAP.plusSeconds(1));
    assertThat(f.emitted()).extracting(Trace::getVersion, Trace::getCompletion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, TraceCompletion.INACTIVITY_GAP));
  }

  @Test
  void duplicatesCollapseToThePreferredCopyAndAreCounted() {
    DriverFixture f = start(Timing.withGap(GAP));
    Span longer = Span.newBuilder(A2).setDurationNanos(A2.getDurationNanos() + 1).build();
    f.send(A1, A2, A2, longer, A2).advanceWall(GAP.plusSeconds(1));

    Trace trace = f.emitted().get(0);
    assertThat(trace.getSpans()).containsExactly(A1, longer);
    assertThat(trace.getQuality().getDuplicateSpanCount()).isEqualTo(3);
    assertThat(f.counter("tracepipe.aggregator.spans.duplicate")).isEqualTo(3);

    f.send(A1).advanceWall(GAP.plusSeconds(1));
    assertThat(f.emitted()).as("a late copy changes nothing a consumer sees: no new version").isEmpty();
    f.send(A3).advanceWall(GAP.plusSeconds(1));
    Trace update = f.emitted().get(0);
    assertThat(update.getVersion()).isEqualTo(2);
    assertThat(update.getQuality().getDuplicateSpanCount()).isEqualTo(4);
  }

  @Test
  void sharedHalvesOfOneSpanIdAreNotDuplicates() {
    DriverFixture f = start(Timing.withGap(GAP));
    Span server = Span.newBuilder(A2).setShared(true).setService("api").build();
    f.send(A1, A2, server).advanceWall(GAP.plusSeconds(1));

    Trace trace = f.emitted().get(0);
    assertThat(trace.getSpanCount()).isEqualTo(3);
    assertThat(trace.getQuality().getDuplicateSpanCount()).isZero();
  }

  @Test
  void spansBeyondTheCapAreCountedAndTheTraceFlaggedTruncated() {
    fixture = new DriverFixture(Timing.withGap(GAP), new Limits(3, 1 << 20));
    fixture.send(A1, A2, A3, A4, Span.newBuilder(A4).setSpanId("00000000000000a5").build())
        .advanceWall(GAP.plusSeconds(1));

    Trace trace = fixture.emitted().get(0);
    assertThat(trace.getSpans()).containsExactly(A1, A2, A3);
    assertThat(trace.getQuality().getTruncated()).isTrue();
    assertThat(trace.getQuality().getDroppedSpanCount()).isEqualTo(2);
    assertThat(fixture.counter("tracepipe.aggregator.traces.truncated")).isEqualTo(1);
    assertThat(fixture.counter("tracepipe.aggregator.spans.dropped")).isEqualTo(2);
  }

  @Test
  void byteCapTruncatesTooWhileKeepingTheFirstSpans() {
    long twoSpans = SpanAdmission.encodedSize(A1) + SpanAdmission.encodedSize(A2);
    fixture = new DriverFixture(Timing.withGap(GAP), new Limits(100, twoSpans));
    fixture.send(A1, A2, A3).advanceWall(GAP.plusSeconds(1));

    Trace trace = fixture.emitted().get(0);
    assertThat(trace.getSpanCount()).isEqualTo(2);
    assertThat(trace.getQuality().getDroppedSpanCount()).isEqualTo(1);
  }

  @Test
  void clockSkewAcrossServicesIsFlaggedNotShifted() {
    DriverFixture f = start(Timing.withGap(GAP));
    List<Span> skew = ZipkinJson.sample("skew.json");
    f.send(skew).advanceWall(GAP.plusSeconds(1));

    Trace trace = f.emitted().get(0);
    assertThat(trace.getQuality().getClockSkew())
        .containsExactly(new ClockSkew("74280ae0c10d8062", "74280ae0c10d8062", -65_441_000L));
    assertThat(trace.getSpans()).containsExactlyInAnyOrderElementsOf(skew);
  }

  @Test
  void metricsCountOpenAndEmittedTracesAndTheEmissionDelay() {
    DriverFixture f = start(Timing.withGap(GAP));
    f.send(A1, Span.newBuilder(child("00000000000000b1", null, "web", 0, 1)).setTraceId(B).build());
    assertThat(f.gauge("tracepipe.aggregator.open.traces")).isEqualTo(2);

    f.advanceWall(GAP.plusSeconds(1));
    assertThat(f.emitted()).hasSize(2);
    assertThat(f.gauge("tracepipe.aggregator.open.traces")).isZero();
    assertThat(f.counter("tracepipe.aggregator.traces.emitted", "completion", "INACTIVITY_GAP")).isEqualTo(2);
    assertThat(f.meters.get("tracepipe.aggregator.emission.delay").timer().max(TimeUnit.MILLISECONDS))
        .isEqualTo(GAP.plusSeconds(1).toMillis());
  }

  @Test
  void manyTracesAreEmittedEachExactlyOnce() {
    DriverFixture f = start(Timing.withGap(GAP));
    for (int i = 0; i < 2_500; i++) {
      String trace = String.format("%032x", i + 1);
      f.send(TestSpans.span(trace, "0000000000000001", null, "web", i, 3).build(),
          TestSpans.span(trace, "0000000000000002", "0000000000000001", "db", i + 1, 1).build());
    }
    f.advanceWall(GAP.plusSeconds(1));

    List<Trace> out = f.emitted();
    assertThat(out).hasSize(2_500);
    assertThat(out).extracting(Trace::getTraceId).doesNotHaveDuplicates();
    assertThat(out).allSatisfy(t -> assertThat(t.getSpanCount()).isEqualTo(2));
  }

  @Test
  void rootOfATraceWithoutOneIsNull() {
    DriverFixture f = start(Timing.withGap(GAP));
    f.send(A2, A3).advanceWall(GAP.plusSeconds(1));

    Trace trace = f.emitted().get(0);
    assertThat(trace.getRootService()).isNull();
    assertThat(trace.getQuality().getOrphanSpanCount()).isEqualTo(2);
  }
}
