package dev.tracepipe.latency;

import dev.tracepipe.alerts.AlertmanagerForwarder;
import dev.tracepipe.alerts.AlertmanagerSettings;
import dev.tracepipe.alerts.outliers.OutlierBranch;
import dev.tracepipe.alerts.peers.PeerBranch;
import dev.tracepipe.alerts.peers.PeerSettings;
import dev.tracepipe.alerts.peers.PeerWindow;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.time.BoundedTimestampExtractor;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.platform.time.ClockSettings;
import dev.tracepipe.platform.time.EventTime;
import dev.tracepipe.platform.time.TumblingWindowProcessor;
import dev.tracepipe.platform.time.WindowCombiner;
import dev.tracepipe.schemas.topics.TopicSpec;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * Per-operation latency percentiles in tumbling windows with merged rollups, baselines published for every instance,
 * and outlier-trace alerts with critical path, blame and structural difference, under storm control.
 */
public final class LatencyTopology implements Supplier<Topology> {

  static final String WINDOW_STORE_PREFIX = "latency-";
  static final String SAMPLE_FOLDS = "latency-sample-folds";
  /** Folds a task holds between commits before it forwards them early. */
  private static final int MAX_SAMPLE_FOLDS = 10_000;

  private final TopicSpec<String, Trace> traces;
  private final TopicSpec<String, OperationLatency> operationLatency;
  private final TopicSpec<String, LatencyAlert> alerts;
  private final TopicSpec<String, OperationLatency> baselines;
  private final Map<String, ?> serdeConfig;
  private final LatencySettings settings;
  private final LatencyMetrics metrics;
  private final EventTime eventTime;
  private final ClockMetrics clockMetrics;
  private final PeerSettings peers;
  private final AlertmanagerSettings alertmanager;
  private final MeterRegistry meters;

  LatencyTopology(TopicSpec<String, Trace> traces, TopicSpec<String, OperationLatency> operationLatency,
      TopicSpec<String, LatencyAlert> alerts, TopicSpec<String, OperationLatency> baselines,
      Map<String, ?> serdeConfig, LatencySettings settings, ClockSettings clock, MeterRegistry meters) {
    this(traces, operationLatency, alerts, baselines, serdeConfig, settings, clock, PeerSettings.defaults(),
        AlertmanagerSettings.from(TracepipeConfig.of(Map.of())), meters);
  }

  LatencyTopology(TopicSpec<String, Trace> traces, TopicSpec<String, OperationLatency> operationLatency,
      TopicSpec<String, LatencyAlert> alerts, TopicSpec<String, OperationLatency> baselines,
      Map<String, ?> serdeConfig, LatencySettings settings, ClockSettings clock, PeerSettings peers,
      AlertmanagerSettings alertmanager, MeterRegistry meters) {
    this.peers = Objects.requireNonNull(peers, "peers == null");
    this.alertmanager = Objects.requireNonNull(alertmanager, "alertmanager == null");
    this.meters = meters;
    this.traces = Objects.requireNonNull(traces, "traces == null");
    this.operationLatency = Objects.requireNonNull(operationLatency, "operationLatency == null");
    this.alerts = Objects.requireNonNull(alerts, "alerts == null");
    this.baselines = Objects.requireNonNull(baselines, "baselines == null");
    this.serdeConfig = Map.copyOf(Objects.requireNonNull(serdeConfig, "serdeConfig == null"));
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.metrics = new LatencyMetrics(meters);
    this.eventTime = new EventTime(Objects.requireNonNull(clock, "clock == null"));
    this.clockMetrics = new ClockMetrics(meters, LatencyAlertsStage.NAME);
  }

  /** The topology on the catalogue topics, tuned by {@code tracepipe.latency.*} and {@code tracepipe.alerts.*}. */
  public static LatencyTopology fromConfig(TracepipeConfig config, MeterRegistry meters) {
    return new LatencyTopology(Topics.TRACES, Topics.OPERATION_LATENCY, Topics.LATENCY_ALERTS,
        Topics.LATENCY_BASELINES, config.serdeConfig(), LatencySettings.from(config), ClockSettings.from(config),
        PeerSettings.from(config), AlertmanagerSettings.from(config), meters);
  }

  LatencySettings settings() {
    return settings;
  }

  /** The window store of one level, e.g. latency-1m: what the query API reads. */
  static String windowStore(Duration level) {
    return WINDOW_STORE_PREFIX + LatencySettings.label(level);
  }

  /** The open windows of one level, e.g. latency-1m-open: what marks a window partial in the query API. */
  static String openWindowsStore(Duration level) {
    return windowStore(level) + "-open";
  }

  @Override
  public Topology get() {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, Trace> input = builder.stream(traces.name(),
        Consumed.with(traces.keySerde(serdeConfig), traces.valueSerde(serdeConfig)).withName("latency-traces-source")
            .withTimestampExtractor(new BoundedTimestampExtractor(eventTime, clockMetrics)));
    percentiles(builder, input);
    OutlierBranch.attach(builder, input, baselines, alerts, serdeConfig, settings.alerts(), meters);
    AlertmanagerForwarder.attach(builder, alertmanager, alerts.name(), alerts.keySerde(serdeConfig),
        alerts.valueSerde(serdeConfig), meters);
    return builder.build();
  }

  private void percentiles(StreamsBuilder builder, KStream<String, Trace> input) {
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(SpanSampler.COUNTED_SPANS_STORE, settings.spanMemory(), Duration.ofMillis(1),
            false), Serdes.String(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(BaselinePublisher.RECENT_WINDOWS_STORE), Serdes.String(),
        BaselinePublisher.RECENT_SERDE));
    Serde<LatencyAccumulator> accumulators = LatencyAccumulator.serde();
    int cap = settings.maxDimensionCombinations();
    Duration finest = settings.window();
    // Named window processors rather than windowedBy(...).emitStrategy(onWindowClose()): the DSL closes windows on
    // stream time only, so after the last span the last window never closed, and one span from a fast clock moved
    // stream time for everyone. These close on a clock that also runs with the wall clock (platform RATIONALE.md).
    // Samples are folded per operation and window between commits before they are repartitioned: one record per
    // operation, window and commit crosses the broker instead of one per span.
    builder.addStateStore(WindowCombiner.hook(SAMPLE_FOLDS));
    WindowCombiner.Fold<SpanSample, LatencyAccumulator> foldSamples = new WindowCombiner.Fold<>() {
      @Override
      public LatencyAccumulator initial() {
        return new LatencyAccumulator();
      }

      @Override
      public LatencyAccumulator add(SpanSample sample, LatencyAccumulator acc) {
        metrics.dimensionOverflow.increment(acc.add(sample, cap));
        return acc;
      }
    };
    TumblingWindowProcessor.Spec finestSpec = spec(finest, 0);
    String[] finestStores = addStores(builder, finestSpec, accumulators);
    KStream<Windowed<String>, LatencyAccumulator> closed = input
        .process(() -> new SpanSampler(settings.dimensions(), settings.spanMemory(),
                new OperationCap(settings.maxOperations(), finest.toMillis()), metrics, eventTime, clockMetrics),
            Named.as("latency-span-sampler"), SpanSampler.COUNTED_SPANS_STORE)
        .process(() -> new WindowCombiner<>(SAMPLE_FOLDS, finest, foldSamples, MAX_SAMPLE_FOLDS),
            Named.as("latency-sample-folds"), SAMPLE_FOLDS)
        .repartition(Repartitioned.with(Serdes.String(), accumulators).withName("latency-sample-folds-by-operation"))
        .process(() -> new TumblingWindowProcessor<>(finestSpec, Serdes.String(), merge(cap, true), eventTime,
            clockMetrics), Named.as("latency-aggregate-" + LatencySettings.label(finest)), finestStores);
    publish(closed, finest);
    closed.process(() -> new BaselinePublisher(settings.baselineWindows()), Named.as("latency-baseline-publisher"),
            BaselinePublisher.RECENT_WINDOWS_STORE)
        .to(baselines.name(), Produced.with(baselines.keySerde(serdeConfig), baselines.valueSerde(serdeConfig))
            .withName("latency-baselines-sink"));
    comparePeers(builder, closed);
    Duration previous = finest;
    for (Duration rollup : settings.rollups()) {
      String from = LatencySettings.label(previous);
      String to = LatencySettings.label(rollup);
      TumblingWindowProcessor.Spec rollupSpec = spec(rollup, 0);
      String[] rollupStores = addStores(builder, rollupSpec, accumulators);
      closed = closed
          .process(WindowRekey::new, Named.as("latency-rekey-" + from))
          .repartition(Repartitioned.with(Serdes.String(), accumulators)
              .withName("latency-" + from + "-windows-by-operation"))
          .process(() -> new TumblingWindowProcessor<>(rollupSpec, Serdes.String(), merge(cap, false), eventTime,
              clockMetrics), Named.as("latency-rollup-" + to), rollupStores);
      publish(closed, rollup);
      previous = rollup;
    }
  }

  /**
   * Merges folds of samples (into the finest windows) or closed finer windows (into rollups).
   *
   * @param relocateWhenLate true for folds of samples: a late fold counts in the window at the clock, as its samples
   *     would have; false for finer windows, which belong to exactly one rollup window and join it even when closed
   */
  private TumblingWindowProcessor.Policy<String, LatencyAccumulator, LatencyAccumulator> merge(int cap,
      boolean relocateWhenLate) {
    return new TumblingWindowProcessor.Policy<>() {
      @Override
      public LatencyAccumulator initial() {
        return new LatencyAccumulator();
      }

      @Override
      public LatencyAccumulator add(String key, LatencyAccumulator part, LatencyAccumulator acc) {
        metrics.dimensionOverflow.increment(acc.merge(part, cap));
        return acc;
      }

      @Override
      public boolean relocateWhenLate(LatencyAccumulator part) {
        return relocateWhenLate;
      }
    };
  }

  /** Peer comparison judges each finest closed window, split by host and version. */
  private void comparePeers(StreamsBuilder builder, KStream<Windowed<String>, LatencyAccumulator> closed) {
    KStream<String, PeerWindow> windows = closed.map((window, acc) -> {
      OperationKey op = OperationKey.decode(window.key());
      return KeyValue.pair(window.key(), new PeerWindow(op.service(), op.operation(), op.kind().name(),
          window.window().start(), window.window().end(), acc.cells()));
    }, Named.as("peers-windows"));
    PeerBranch.attach(builder, windows, peers, alerts.name(), alerts.keySerde(serdeConfig),
        alerts.valueSerde(serdeConfig), meters);
  }

  private TumblingWindowProcessor.Spec spec(Duration level, long clockLead) {
    return new TumblingWindowProcessor.Spec(windowStore(level), openWindowsStore(level), level, settings.grace(),
        settings.storeRetention(), clockLead);
  }

  private static String[] addStores(StreamsBuilder builder, TumblingWindowProcessor.Spec spec,
      Serde<LatencyAccumulator> accumulators) {
    TumblingWindowProcessor.stores(spec, Serdes.String(), accumulators).forEach(builder::addStateStore);
    return new String[] {spec.windowStore(), spec.indexStore()};
  }

  private void publish(KStream<Windowed<String>, LatencyAccumulator> closed, Duration level) {
    String label = LatencySettings.label(level);
    closed.flatMap(WindowSummaries::of, Named.as("latency-summaries-" + label))
        .to(operationLatency.name(), Produced.with(operationLatency.keySerde(serdeConfig),
            operationLatency.valueSerde(serdeConfig)).withName("latency-operation-sink-" + label));
  }

  /**
   * A closed window re-keyed by its operation and timed at its last millisecond: it falls into the right rollup window,
   * and the rollup's clock reaches a rollup window's end only with a finer window after it (of any operation), so every
   * operation's last finer window is in before the rollup closes.
   */
  private static final class WindowRekey
      implements Processor<Windowed<String>, LatencyAccumulator, String, LatencyAccumulator> {
    private org.apache.kafka.streams.processor.api.ProcessorContext<String, LatencyAccumulator> context;

    @Override
    public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, LatencyAccumulator> context) {
      this.context = context;
    }

    @Override
    public void process(Record<Windowed<String>, LatencyAccumulator> record) {
      context.forward(new Record<>(record.key().key(), record.value(), record.key().window().end() - 1));
    }
  }
}
