package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.platform.time.ClockSettings;
import dev.tracepipe.platform.time.EventTime;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * CPU nanoseconds per span of the aggregator's processor alone: input spans decoded as the source does, processed,
 * emitted by the wall-clock punctuator and purged later, with a RocksDB span store (no changelogs, no commits: what
 * Kafka adds around it is left out) and the trace states in memory, as the live store holds them between commits. The shared SmartThings sample (175 spans) under fresh trace ids, one record per span. Not a test: run it by
 * hand, e.g. {@code java -cp <test classpath> dev.tracepipe.aggregator.ProcessorCost 20} (seconds per measurement).
 */
public final class ProcessorCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Timing TIMING = Timing.withGap(java.time.Duration.ofSeconds(30));
  private static final int TRACES_PER_ROUND = 50;

  private ProcessorCost() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
    Map<String, String> config = Map.of("schema.registry.url", "mock://processor-cost-" + UUID.randomUUID());
    AvroSerde<Span> input = AvroSerde.specific(Span.class).configured(config, false);
    Path stateDir = Files.createTempDirectory("processor-cost");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processor-cost");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
    KeyValueStore<String, byte[]> spans = Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(AggregatorTopology.SPAN_STORE), Serdes.String(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    KeyValueStore<String, TraceState> traces = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(AggregatorTopology.TRACE_STORE), Serdes.String(), new TraceStateSerde())
        .withLoggingDisabled().build();
    for (var store : List.of(spans, traces)) {
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    TraceAssemblyProcessor processor = new TraceAssemblyProcessor(TIMING,
        new Limits(AggregatorSettings.DEFAULT_MAX_SPANS, AggregatorSettings.DEFAULT_MAX_BYTES),
        new AggregatorMetrics(new SimpleMeterRegistry()), new EventTime(ClockSettings.defaults()),
        new ClockMetrics(new SimpleMeterRegistry(), AggregatorStage.NAME),
        new EncodedSpans(AvroSerde.specific(Span.class).configured(config, false),
            AvroSerde.specific(Trace.class).configured(config, false), Topics.TRACES.name()));
    List<Span> sample = ZipkinJson.sample("smartthings-oauth-authorization.json");
    long start = sample.get(0).getStartTimeNanos() / 1_000_000;
    context.setCurrentSystemTimeMs(start);
    context.setCurrentStreamTimeMs(start);
    processor.init(context);
    var wallClock = context.scheduledPunctuators().stream()
        .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME).findFirst().orElseThrow().getPunctuator();
    long round = 0;
    for (String label : List.of("warm-up", "measured")) {
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long setUp = 0;
      long processed = 0;
      long emitted = 0;
      while (System.nanoTime() < end) {
        long setUpStart = THREADS.getCurrentThreadCpuTime();
        List<byte[]> values = new ArrayList<>();
        for (int t = 0; t < TRACES_PER_ROUND; t++) {
          String traceId = String.format(Locale.ROOT, "%016x%016x", round, t);
          for (Span span : sample) {
            values.add(input.serialize(Topics.CANONICAL_SPANS.name(),
                Span.newBuilder(span).setTraceId(traceId).build()));
          }
        }
        long now = start + round * (TIMING.gapMs() + 1_000);
        context.setCurrentSystemTimeMs(now);
        context.setCurrentStreamTimeMs(now);
        setUp += THREADS.getCurrentThreadCpuTime() - setUpStart;
        for (byte[] value : values) {
          Span span = input.deserialize(Topics.CANONICAL_SPANS.name(), value);
          processor.process(new Record<>(span.getTraceId(), new TraceFragment(List.of(span)), now));
        }
        context.setCurrentSystemTimeMs(now + TIMING.gapMs() + 1_000);
        wallClock.punctuate(now + TIMING.gapMs() + 1_000);
        emitted += context.forwarded().size();
        context.resetForwards();
        processed += values.size();
        round++;
      }
      System.out.printf("%s: %d spans, %d traces emitted, %.0f ns CPU per span%n", label, processed, emitted,
          (THREADS.getCurrentThreadCpuTime() - cpuStart - setUp) / (double) processed);
    }
    processor.close();
    for (var store : List.of(spans, traces)) {
      store.close();
    }
  }
}
