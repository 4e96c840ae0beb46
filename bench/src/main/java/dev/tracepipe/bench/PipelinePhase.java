package dev.tracepipe.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.tracepipe.aggregator.AggregatorStage;
import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.ingest.IngestStage;
import dev.tracepipe.latency.LatencyAlertsStage;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.tracestore.TraceStoreStage;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Generator;
import dev.tracepipe.workload.GeneratorBuilder;
import dev.tracepipe.workload.SpanSink;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One phase of generated traffic through the stage process: a warm-up, then a measured interval in which each
 * stage's throughput, the trace and alert latencies, CPU and memory of every process are taken.
 */
final class PipelinePhase {
  static final List<String> STAGES = List.of(IngestStage.NAME, AggregatorStage.NAME, DependencyGraphStage.NAME,
      LatencyAlertsStage.NAME);
  /**
   * Stages whose threads' CPU is reported on its own: the throughput stages, and the trace store, which keeps every
   * trace for lookup and whose progress the bench does not measure.
   */
  static final List<String> CPU_GROUPS = List.of(IngestStage.NAME, AggregatorStage.NAME, DependencyGraphStage.NAME,
      LatencyAlertsStage.NAME, TraceStoreStage.NAME);
  /** Threads that work for no stage in particular. */
  static final String OTHER_THREADS = "other threads";
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);
  private static final Duration MIN_JIT_WARM_UP = Duration.ofSeconds(20);
  /** The aggregator's timer from a trace's last span's arrival to its emission. */
  private static final String DELAY = StageMetrics.timer(AggregatorStage.EMISSION_DELAY_METRIC);

  /** The line a stage's state listener logs once its Kafka Streams application runs. */
  static String running(String stage) {
    return stage + ": REBALANCING -> RUNNING";
  }

  /** Percentiles of one latency, in milliseconds. */
  record Latency(int count, double p50, double p90, double p99, double max) {
    static <T> Latency of(List<T> samples, ToLongFunction<T> nanos) {
      long[] sorted = samples.stream().mapToLong(nanos).sorted().toArray();
      if (sorted.length == 0) {
        return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      return new Latency(sorted.length, at(sorted, 0.50) / 1e6, at(sorted, 0.90) / 1e6, at(sorted, 0.99) / 1e6,
          sorted[sorted.length - 1] / 1e6);
    }

    private static long at(long[] sorted, double quantile) {
      return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
  }

  /**
   * Where a stage's stream threads spent their wall time, as shares, from Kafka Streams' own thread metrics at the
   * end of a phase (averaged over the stage's threads). Wall time, not CPU: a thread waiting for a core counts where
   * it was.
   */
  record ThreadTime(double process, double punctuate, double commit, double poll) {
    static final List<String> KINDS = List.of("process", "punctuate", "commit", "poll");

    static Map<String, ThreadTime> of(StageMetrics.Scrape scrape) {
      int n = KINDS.size();
      // Per stage: the sum of each share over its threads, then how many threads had each.
      Map<String, double[]> sums = new LinkedHashMap<>();
      for (int k = 0; k < n; k++) {
        int kind = k;
        scrape.byLabel("kafka_stream_thread_" + KINDS.get(k) + "_ratio", "thread_id").forEach((thread, share) -> {
          if (!share.isNaN()) {
            double[] sum = sums.computeIfAbsent(JfrHotSpots.stageOf(thread), s -> new double[2 * n]);
            sum[kind] += share;
            sum[n + kind]++;
          }
        });
      }
      Map<String, ThreadTime> byStage = new LinkedHashMap<>();
      sums.forEach((stage, sum) -> {
        double[] mean = new double[n];
        for (int k = 0; k < n; k++) {
          mean[k] = sum[n + k] == 0 ? 0 : sum[k] / sum[n + k];
        }
        byStage.put(stage, new ThreadTime(mean[0], mean[1], mean[2], mean[3]));
      });
      return byStage;
    }
  }

  /** Largest sample during the interval and live heap after a collection at its end. */
  record Memory(long heapMax, long heapLiveAtEnd, long rssMax) {}

  /**
   * What one phase measured. Rates are per second of the measured interval; {@code lag} holds each stage's unread
   * input at its start and end; {@code stageThreadCores} is the stage process's CPU by stage and by runtime work.
   */
  record Result(double offered, double seconds, double sent, Map<String, Double> stageSpansPerSecond,
      Map<String, long[]> lag, double traceSpansPerSecond, double tracesPerSecond, double spansPerTrace,
      Latency sentToTrace, Latency endToTrace, Latency sentToAlert, Latency endToAlert, Map<String, Long> blames,
      double emissionDelayMillis, double emissionDelayMaxMillis, Memory stageMemory, Memory brokerMemory,
      double stageCores, Map<String, Double> stageThreadCores, double brokerCores, double benchCores, int fencings,
      double fragmentsPerSecond, long fromEpochNanos, long toEpochNanos, Map<String, ThreadTime> threadTime) {

    /**
     * Whether the pipeline kept up: traces carried at least 90% of the spans sent, the aggregator and the stages
     * reading traces ended the interval with no more than two seconds of input unread (or no more than at its
     * start), and no stream thread was fenced.
     */
    boolean keptUp() {
      long[] aggregatorLag = lag.get(AggregatorStage.NAME);
      // The aggregator's input is counted in trace fragments, several spans each.
      boolean aggregator = aggregatorLag[1] <= Math.max((long) (2 * fragmentsPerSecond), aggregatorLag[0]);
      long allowed = (long) (2 * tracesPerSecond);
      boolean downstream = STAGES.subList(2, 4).stream()
          .allMatch(s -> lag.get(s)[1] <= Math.max(allowed, lag.get(s)[0]));
      return traceSpansPerSecond >= 0.9 * sent && aggregator && downstream && fencings == 0;
    }
  }

  /** The step with the highest offered rate that kept up, or null when none did; steps need not be in rate order. */
  static Result highestKeptUp(List<Result> steps) {
    Result best = null;
    for (Result step : steps) {
      if (step.keptUp() && (best == null || step.offered() > best.offered())) {
        best = step;
      }
    }
    return best;
  }

  /** The step with the lowest offered rate above {@code best} (any, when null) that fell behind, or null. */
  static Result lowestFellBehind(List<Result> steps, Result best) {
    Result fell = null;
    for (Result step : steps) {
      if (!step.keptUp() && (best == null || step.offered() > best.offered())
          && (fell == null || step.offered() < fell.offered())) {
        fell = step;
      }
    }
    return fell;
  }

  /** What Kafka Streams logs when a stream thread's transactions were fenced and its tasks must move. */
  static final String FENCED = "Detected that the thread is being fenced";

  private final ChildJvm stages;
  private final ChildJvm broker;
  private final StageMetrics metrics;
  private final TopicOffsets offsets;
  private final TraceTimer timer;
  private final SpanSink sink;
  private final String inputTopic;
  private final String groupPrefix;

  /**
   * @param inputTopic the topic the generator writes to and ingest reads
   * @param groupPrefix the stages' application id prefix, which is also their consumer groups' prefix
   */
  PipelinePhase(ChildJvm stages, ChildJvm broker, StageMetrics metrics, TopicOffsets offsets, TraceTimer timer,
      SpanSink sink, String inputTopic, String groupPrefix) {
    this.stages = stages;
    this.broker = broker;
    this.metrics = metrics;
    this.offsets = offsets;
    this.timer = timer;
    this.sink = sink;
    this.inputTopic = inputTopic;
    this.groupPrefix = groupPrefix;
  }

  /**
   * Runs the generator at {@code spansPerSecond}, waits {@code warmup}, measures for {@code measure}; switches the
   * fault on after {@code faultAfter} when both are given.
   */
  Result run(double spansPerSecond, int threads, Duration warmup, Duration measure, Fault fault,
      Duration faultAfter) throws Exception {
    GeneratorBuilder builder = Generator.builder(sink).spansPerSecond(spansPerSecond).threads(threads);
    if (fault != null) {
      builder.faultAfter(fault, faultAfter);
    }
    Generator generator = builder.build();
    generator.start();
    try {
      Thread.sleep(warmup.toMillis());
      Snapshot start = snapshot(generator);
      int fencedBefore = stages.logCount(FENCED);
      long heapMax = 0;
      long rssMax = 0;
      long brokerHeapMax = 0;
      long brokerRssMax = 0;
      long end = System.nanoTime() + measure.toNanos();
      while (System.nanoTime() < end) {
        Thread.sleep(Math.min(SAMPLE_EVERY.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        heapMax = Math.max(heapMax, stages.heap().getUsed());
        rssMax = Math.max(rssMax, stages.rssBytes());
        brokerHeapMax = Math.max(brokerHeapMax, broker.heap().getUsed());
        brokerRssMax = Math.max(brokerRssMax, broker.rssBytes());
      }
      Snapshot stop = snapshot(generator);
      int fencings = stages.logCount(FENCED) - fencedBefore;
      generator.stop();
      generator.await();
      Memory stageMemory = new Memory(heapMax, stages.heapAfterGc(), rssMax);
      Memory brokerMemory = new Memory(brokerHeapMax, broker.heapAfterGc(), brokerRssMax);
      return result(spansPerSecond, start, stop, stageMemory, brokerMemory, fencings);
    } finally {
      generator.stop();
    }
  }

  private Result result(double offered, Snapshot a, Snapshot b, Memory stageMemory, Memory brokerMemory,
      int fencings) {
    double seconds = (b.nanos - a.nanos) / 1e9;
    List<TraceTimer.Arrival> arrivals = timer.arrivals(a.epochNanos, b.epochNanos);
    List<TraceTimer.AlertArrival> alerts = timer.alerts(a.epochNanos, b.epochNanos);
    long spans = arrivals.stream().mapToLong(TraceTimer.Arrival::spans).sum();
    double spansPerTrace = arrivals.isEmpty() ? 0 : spans / (double) arrivals.size();
    Map<String, Double> perStage = new LinkedHashMap<>();
    perStage.put(IngestStage.NAME, (b.ingested - a.ingested) / seconds);
    perStage.put(AggregatorStage.NAME, (b.aggregated - a.aggregated) / seconds);
    perStage.put(DependencyGraphStage.NAME, (b.graphTraces - a.graphTraces) * spansPerTrace / seconds);
    perStage.put(LatencyAlertsStage.NAME, (b.sampled - a.sampled) / seconds);
    Map<String, long[]> lag = new LinkedHashMap<>();
    for (int i = 0; i < STAGES.size(); i++) {
      lag.put(STAGES.get(i), new long[] {a.lag[i], b.lag[i]});
    }
    Map<String, Long> blames = new LinkedHashMap<>();
    alerts.forEach(alert -> blames.merge(String.valueOf(alert.topBlame()), 1L, Long::sum));
    Map<String, Double> threadCores = new LinkedHashMap<>();
    List<String> groups = new java.util.ArrayList<>(CPU_GROUPS);
    groups.add(OTHER_THREADS);
    for (String stage : groups) {
      threadCores.put(stage, (b.threadCpu.getOrDefault(stage, 0L) - a.threadCpu.getOrDefault(stage, 0L)) / 1e9
          / seconds);
    }
    double known = threadCores.values().stream().mapToDouble(Double::doubleValue).sum();
    for (String kind : List.of("jit", "gc", "rocksdb")) {
      double cores = (b.runtimeCpu.getOrDefault(kind, 0L) - a.runtimeCpu.getOrDefault(kind, 0L)) / 1e9 / seconds;
      threadCores.put(kind, cores);
      known += cores;
    }
    threadCores.put("jvm", (b.stageCpu - a.stageCpu) / 1e9 / seconds - known);
    double delays = b.delays - a.delays;
    double delayMillis = delays == 0 ? Double.NaN : (b.delaySeconds - a.delaySeconds) / delays * 1000;
    return new Result(offered, seconds, (b.sent - a.sent) / seconds, perStage, lag, spans / seconds,
        arrivals.size() / seconds, spansPerTrace,
        Latency.of(arrivals, t -> t.receivedNanos() - t.startNanos()),
        Latency.of(arrivals, t -> t.receivedNanos() - t.endNanos()),
        Latency.of(alerts, t -> t.receivedNanos() - t.startNanos()),
        Latency.of(alerts, t -> t.receivedNanos() - t.endNanos()),
        blames, delayMillis, b.delayMax * 1000, stageMemory, brokerMemory,
        (b.stageCpu - a.stageCpu) / 1e9 / seconds, threadCores, (b.brokerCpu - a.brokerCpu) / 1e9 / seconds,
        (b.benchCpu - a.benchCpu) / 1e9 / seconds, fencings, (b.fragments - a.fragments) / seconds, a.epochNanos,
        b.epochNanos, b.threadTime);
  }

  /** How long traffic ran before the JIT compilers settled, and what they had used by then. */
  record JitWarmUp(double spansPerSecond, Duration took, double jitCpuSeconds, double jitCoresAtEnd) {}

  /**
   * Runs traffic until the stage process's JIT compilers use less than a tenth of a core over 10 s (after at least
   * 20 s), or for {@code max}: until then the compilers compete with the stages for the two cores.
   */
  JitWarmUp warmUpJit(double spansPerSecond, int threads, Duration max) throws Exception {
    Generator generator = Generator.builder(sink).spansPerSecond(spansPerSecond).threads(threads).build();
    long start = System.nanoTime();
    long jit = runtimeCpu(stages).getOrDefault("jit", 0L);
    double cores = Double.NaN;
    generator.start();
    try {
      while (System.nanoTime() - start < max.toNanos()) {
        Thread.sleep(Math.min(10_000, max.toMillis()));
        long now = runtimeCpu(stages).getOrDefault("jit", 0L);
        cores = (now - jit) / 1e9 / 10;
        jit = now;
        if (cores < 0.1 && System.nanoTime() - start >= Math.min(MIN_JIT_WARM_UP.toNanos(), max.toNanos())) {
          break;
        }
      }
    } finally {
      generator.stop();
      generator.await();
    }
    return new JitWarmUp(spansPerSecond, Duration.ofNanos(System.nanoTime() - start), jit / 1e9, cores);
  }

  /** Waits until no stage has more than a few records (transaction markers) left to read; false on timeout. */
  boolean awaitCaughtUp(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long[] lag = lag();
      if (Arrays.stream(lag).allMatch(l -> l <= 2L * KafkaCeiling.PARTITIONS)) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** Counters at one instant. Lag: input records not yet committed, per stage in {@link #STAGES} order. */
  private record Snapshot(long nanos, long epochNanos, long sent, double ingested, double aggregated,
      long graphTraces, double sampled, double delaySeconds, double delays, double delayMax, long[] lag,
      long fragments, long stageCpu, Map<String, Long> threadCpu, Map<String, Long> runtimeCpu, long brokerCpu,
      long benchCpu, Map<String, ThreadTime> threadTime) {}

  private Snapshot snapshot(Generator generator) throws Exception {
    StageMetrics.Scrape scrape = metrics.scrape();
    long[] lag = lag();
    OperatingSystemMXBean self = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Snapshot(System.nanoTime(), TraceTimer.epochNanos(), generator.spansSent(),
        scrape.sum(StageMetrics.counter(IngestStage.SPANS_ACCEPTED_METRIC)), scrape.sum(AggregatorCost.RECEIVED),
        offsets.committed(groupPrefix + DependencyGraphStage.NAME, Topics.TRACES.name()),
        scrape.sum(StageMetrics.counter(LatencyAlertsStage.SPANS_SAMPLED_METRIC)), scrape.sum(DELAY + "_sum"), scrape.sum(DELAY + "_count"),
        scrape.sum(DELAY + "_max"),
        lag, offsets.end(Topics.TRACE_FRAGMENTS.name()), stages.cpuNanos(), cpuByStage(), runtimeCpu(stages),
        broker.cpuNanos(), self.getProcessCpuTime(), ThreadTime.of(scrape));
  }

  /** The stage process's thread CPU time grouped by the stage each thread works for. */
  private Map<String, Long> cpuByStage() throws Exception {
    Map<String, Long> byStage = new LinkedHashMap<>();
    stages.threadCpuNanos().forEach((thread, nanos) -> byStage.merge(JfrHotSpots.stageOf(thread), nanos, Long::sum));
    return byStage;
  }

  /** CPU of the threads Java does not list, by what they do: JIT compilation, garbage collection, RocksDB. */
  static Map<String, Long> runtimeCpu(ChildJvm jvm) {
    Map<String, Long> byKind = new LinkedHashMap<>();
    jvm.nativeThreadCpuNanos().forEach((name, nanos) -> {
      String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "jit"
          : name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread") ? "gc"
          : name.startsWith("rocksdb") ? "rocksdb" : null;
      if (kind != null) {
        byKind.merge(kind, nanos, Long::sum);
      }
    });
    return byKind;
  }

  /**
   * Records each stage has yet to read, in {@link #STAGES} order: the ingest's in messages, the aggregator's in trace
   * fragments, the others' in traces.
   */
  private long[] lag() throws Exception {
    String canonical = Topics.TRACE_FRAGMENTS.name();
    String traces = Topics.TRACES.name();
    long tracesEnd = offsets.end(traces);
    return new long[] {
        offsets.end(inputTopic) - offsets.committed(groupPrefix + IngestStage.NAME, inputTopic),
        offsets.end(canonical) - offsets.committed(groupPrefix + AggregatorStage.NAME, canonical),
        tracesEnd - offsets.committed(groupPrefix + DependencyGraphStage.NAME, traces),
        tracesEnd - offsets.committed(groupPrefix + LatencyAlertsStage.NAME, traces)};
  }
}
