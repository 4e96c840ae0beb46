package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.platform.state.LiveKeyValueStoreBuilder;
import dev.tracepipe.platform.time.BoundedTimestampExtractor;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.platform.time.ClockSettings;
import dev.tracepipe.platform.time.EventTime;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Trace fragments in, assembled traces out, through one processor and two changelogged RocksDB stores (and an index
 * of due times in memory, built from them).
 */
public final class AggregatorTopology implements Supplier<Topology> {

  static final String SOURCE = "trace-fragments";
  /** Spans one per record, as ingest wrote them before fragments: read so that none from before an upgrade is lost. */
  static final String SPAN_SOURCE = "canonical-spans";
  static final String PROCESSOR = "trace-assembly";
  static final String SINK = "traces";
  /** Spans by (trace id, span id, shared flag): adding a span is one put whatever the trace's size. */
  static final String SPAN_STORE = "aggregator-spans";
  /** One small {@link TraceState} per trace id. */
  static final String TRACE_STORE = "aggregator-traces";

  private final String inputTopic;
  private final String spanTopic;
  private final String outputTopic;
  private final Timing timing;
  private final Limits limits;
  private final Map<String, ?> serdeConfig;
  private final AggregatorMetrics metrics;
  private final ClockSettings clock;
  private final ClockMetrics clockMetrics;
  private final MeterRegistry meters;

  /**
   * @param serdeConfig schema registry settings for the Avro serdes of topics and stores
   */
  AggregatorTopology(String inputTopic, String spanTopic, String outputTopic, Timing timing, Limits limits,
      Map<String, ?> serdeConfig, MeterRegistry meters) {
    this(inputTopic, spanTopic, outputTopic, timing, limits, ClockSettings.defaults(), serdeConfig, meters);
  }

  /**
   * @param inputTopic trace fragments
   * @param spanTopic spans one per record, read as one-span fragments
   */
  AggregatorTopology(String inputTopic, String spanTopic, String outputTopic, Timing timing, Limits limits,
      ClockSettings clock, Map<String, ?> serdeConfig, MeterRegistry meters) {
    this.inputTopic = Objects.requireNonNull(inputTopic, "inputTopic == null");
    this.spanTopic = Objects.requireNonNull(spanTopic, "spanTopic == null");
    this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic == null");
    this.timing = Objects.requireNonNull(timing, "timing == null");
    this.limits = Objects.requireNonNull(limits, "limits == null");
    this.serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig == null"));
    this.metrics = new AggregatorMetrics(meters);
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.clockMetrics = new ClockMetrics(meters, AggregatorStage.NAME);
    this.meters = meters;
  }

  /** The catalogue's topics with the given settings. */
  public AggregatorTopology(AggregatorSettings settings, Map<String, ?> serdeConfig, MeterRegistry meters) {
    this(settings, ClockSettings.defaults(), serdeConfig, meters);
  }

  /** The catalogue's topics with the given settings and trust in clocks. */
  public AggregatorTopology(AggregatorSettings settings, ClockSettings clock, Map<String, ?> serdeConfig,
      MeterRegistry meters) {
    this(Topics.TRACE_FRAGMENTS.name(), Topics.CANONICAL_SPANS.name(), Topics.TRACES.name(), settings.timing(),
        settings.limits(), clock, serdeConfig, meters);
  }

  @Override
  public Topology get() {
    AvroSerde<TraceFragment> fragmentSerde = AvroSerde.specific(TraceFragment.class).configured(serdeConfig, false);
    AvroSerde<Span> spanSerde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    Deserializer<TraceFragment> oneSpan = (topic, data) ->
        data == null ? null : new TraceFragment(List.of(spanSerde.deserialize(topic, data)));
    // A changelog record holds the spans of one fragment, so the changelog accepts what the fragment topic accepts.
    Map<String, String> spanChangelog =
        Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.TRACE_FRAGMENTS.maxMessageBytes()));
    Topology topology = new Topology();
    // Record timestamps come from producers' clocks (ingest keeps them): bounded, so that one fast host cannot move
    // stream time, and with it every stream-time due date, for the whole partition.
    // No offset reset of its own (null): the stage's consumer setting applies, as before.
    BoundedTimestampExtractor timestamps =
        new BoundedTimestampExtractor(clock.futureTolerance(), meters, AggregatorStage.NAME);
    topology.addSource((org.apache.kafka.streams.AutoOffsetReset) null, SOURCE, timestamps,
        Serdes.String().deserializer(), fragmentSerde.deserializer(), inputTopic);
    topology.addSource((org.apache.kafka.streams.AutoOffsetReset) null, SPAN_SOURCE, timestamps,
        Serdes.String().deserializer(), oneSpan, spanTopic);
    EventTime eventTime = new EventTime(clock);
    // Each processor has serdes of its own: they keep the bytes of the spans of the trace being emitted.
    topology.addProcessor(PROCESSOR, () -> new TraceAssemblyProcessor(timing, limits, metrics, eventTime,
        clockMetrics, new EncodedSpans(AvroSerde.specific(Span.class).configured(serdeConfig, false),
            AvroSerde.specific(Trace.class).configured(serdeConfig, false), outputTopic)), SOURCE, SPAN_SOURCE);
    // Values are spans framed as the span serde frames them: bytes, so that a span is encoded once.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SPAN_STORE), Serdes.String(),
        Serdes.ByteArray()).withLoggingEnabled(spanChangelog), PROCESSOR);
    // Live between commits: a trace's state is rewritten on every fragment, and is encoded once per commit.
    topology.addStateStore(new LiveKeyValueStoreBuilder<>(Stores.persistentKeyValueStore(TRACE_STORE),
        Serdes.String(), new TraceStateSerde()).withLoggingEnabled(Map.of()), PROCESSOR);
    topology.addSink(SINK, outputTopic, Serdes.String().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
    return topology;
  }

  AggregatorMetrics metrics() {
    return metrics;
  }
}
