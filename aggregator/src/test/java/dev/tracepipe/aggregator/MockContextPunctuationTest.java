package dev.tracepipe.aggregator;

import static dev.tracepipe.aggregator.TestSpans.child;
import static dev.tracepipe.aggregator.TestSpans.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fires the processor's punctuators by hand, with each clock set explicitly. */
class MockContextPunctuationTest {

  private static final Timing TIMING = Timing.withGap(Duration.ofSeconds(30));
  private static final long WALL0 = 1_700_000_000_000L;

  private static final Map<String, String> SERDE_CONFIG = Map.of("schema.registry.url", "mock://punctuation");

  private final MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
  private final AvroSerde<Trace> traces = AvroSerde.specific(Trace.class).configured(SERDE_CONFIG, false);
  private final TraceAssemblyProcessor processor = new TraceAssemblyProcessor(TIMING,
      new Limits(10, 1 << 20), new AggregatorMetrics(new SimpleMeterRegistry()),
      new dev.tracepipe.platform.time.EventTime(dev.tracepipe.platform.time.ClockSettings.defaults()),
      new dev.tracepipe.platform.time.ClockMetrics(new SimpleMeterRegistry(), "aggregator"),
      new EncodedSpans(AvroSerde.specific(Span.class).configured(SERDE_CONFIG, false), traces, "traces"));

  @BeforeEach
  void init() {
    KeyValueStore<String, byte[]> spans = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(AggregatorTopology.SPAN_STORE), Serdes.String(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    KeyValueStore<String, TraceState> traces = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(AggregatorTopology.TRACE_STORE), Serdes.String(), new TraceStateSerde())
        .withLoggingDisabled().build();
    for (var store : List.of(spans, traces)) {
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    context.setCurrentSystemTimeMs(WALL0);
    context.setCurrentStreamTimeMs(0);
    processor.init(context);
  }

  private CapturedPunctuator punctuator(PunctuationType type) {
    return context.scheduledPunctuators().stream().filter(p -> p.getType() == type).findFirst().orElseThrow();
  }

  private void send(Span span, long timestamp) {
    context.setCurrentStreamTimeMs(Math.max(timestamp, 0));
    processor.process(new Record<>(span.getTraceId(), new TraceFragment(List.of(span)), timestamp));
  }

  @Test
  void schedulesWallClockAndStreamTimePunctuationAtTheConfiguredInterval() {
    assertThat(context.scheduledPunctuators()).extracting(CapturedPunctuator::getType, CapturedPunctuator::getInterval)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(PunctuationType.WALL_CLOCK_TIME, Duration.ofMillis(250)),
            org.assertj.core.groups.Tuple.tuple(PunctuationType.STREAM_TIME, Duration.ofMillis(250)));
  }

  @Test
  void wallClockPunctuatorEmitsOnlyOnceTheGapHasPassedOnTheWallClock() {
    send(root("0000000000000001", "web", 0, 10), 5_000);
    send(child("0000000000000002", "0000000000000001", "db", 1, 2), 5_000);

    context.setCurrentSystemTimeMs(WALL0 + 29_999);
    punctuator(PunctuationType.WALL_CLOCK_TIME).getPunctuator().punctuate(WALL0 + 29_999);
    assertThat(context.forwarded()).isEmpty();

    context.setCurrentSystemTimeMs(WALL0 + 30_000);
    punctuator(PunctuationType.WALL_CLOCK_TIME).getPunctuator().punctuate(WALL0 + 30_000);
    assertThat(context.forwarded()).hasSize(1);
    Record<? extends String, ? extends byte[]> out = context.forwarded().get(0).record();
    assertThat(out.key()).isEqualTo(TestSpans.TRACE);
    assertThat(traces.deserialize("traces", out.value()).getCompletion()).isEqualTo(TraceCompletion.INACTIVITY_GAP);
    assertThat(out.timestamp()).as("the stream time of the trace's last span").isEqualTo(5_000);
  }

  @Test
  void streamTimePunctuatorEmitsWhenStreamTimePassesTheGapWithoutWallTimeMoving() {
    send(root("0000000000000001", "web", 0, 10), 1_000);
    context.setCurrentStreamTimeMs(31_000);
    punctuator(PunctuationType.STREAM_TIME).getPunctuator().punctuate(31_000);

    assertThat(context.forwarded()).hasSize(1);
  }

  @Test
  void aProcessorStartedOnRestoredStoresFindsTheirOpenAndEmittedTracesDue() {
    send(root("0000000000000001", "web", 0, 10), 1_000);
    Span other = Span.newBuilder(root("0000000000000001", "web", 0, 10))
        .setTraceId("0af7651916cd43dd8448eb211c80319c").build();
    send(other, 1_000);
    context.setCurrentSystemTimeMs(WALL0 + 30_000);
    punctuator(PunctuationType.WALL_CLOCK_TIME).getPunctuator().punctuate(WALL0 + 30_000);
    assertThat(context.forwarded()).hasSize(2);
    send(root("0000000000000002", "web", 0, 10), 2_000);
    context.resetForwards();

    // The index lives in memory: a new processor (a restart, a task moved here) builds it from the trace states.
    MockProcessorContext<String, byte[]> restarted = new MockProcessorContext<>();
    for (String name : List.of(AggregatorTopology.SPAN_STORE, AggregatorTopology.TRACE_STORE)) {
      restarted.addStateStore(context.getStateStore(name));
    }
    TraceAssemblyProcessor next = new TraceAssemblyProcessor(TIMING, new Limits(10, 1 << 20),
        new AggregatorMetrics(new SimpleMeterRegistry()),
        new dev.tracepipe.platform.time.EventTime(dev.tracepipe.platform.time.ClockSettings.defaults()),
        new dev.tracepipe.platform.time.ClockMetrics(new SimpleMeterRegistry(), "aggregator"),
        new EncodedSpans(AvroSerde.specific(Span.class).configured(SERDE_CONFIG, false), traces, "traces"));
    restarted.setCurrentSystemTimeMs(WALL0 + 30_000);
    restarted.setCurrentStreamTimeMs(2_000);
    next.init(restarted);
    var wallClock = restarted.scheduledPunctuators().stream()
        .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME).findFirst().orElseThrow().getPunctuator();

    // One gap after the start: the trace that was open is emitted, with the late span of the one emitted before.
    restarted.setCurrentSystemTimeMs(WALL0 + 60_000);
    wallClock.punctuate(WALL0 + 60_000);
    assertThat(restarted.forwarded()).extracting(f -> traces.deserialize("traces", f.record().value()))
        .extracting(Trace::getVersion, Trace::getSpanCount, Trace::getCompletion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 2, TraceCompletion.LATE_UPDATE));

    // After the late-span retention, the emitted trace (never touched since) is purged: its index entry was rebuilt.
    KeyValueStore<String, TraceState> states = restarted.getStateStore(AggregatorTopology.TRACE_STORE);
    assertThat(states.get(other.getTraceId()).phase()).isEqualTo(TraceState.Phase.EMITTED);
    long later = WALL0 + 60_000 + TIMING.lateRetentionMs() + TIMING.gapMs() + 1_000;
    restarted.setCurrentSystemTimeMs(later);
    wallClock.punctuate(later);
    assertThat(states.get(other.getTraceId()).phase()).isEqualTo(TraceState.Phase.MARKER);
  }
}
