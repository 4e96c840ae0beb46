package dev.tracepipe.bench;

import dev.tracepipe.aggregator.AggregatorSettings;
import dev.tracepipe.aggregator.AggregatorStage;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The aggregator alone, in a JVM of its own reading only what is written for it: the CPU it spends per span when
 * spans come as 10-span or as 1,000-span traces (the same spans, grouped differently, in alternating rounds), and its
 * heap while it holds very many open traces.
 */
final class AggregatorCost {
  static final String RECEIVED = StageMetrics.counter(AggregatorStage.SPANS_RECEIVED_METRIC);
  static final String EMITTED = StageMetrics.counter(AggregatorStage.TRACES_EMITTED_METRIC);
  static final String OPEN = StageMetrics.gauge(AggregatorStage.OPEN_TRACES_METRIC);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration GAP = Duration.ofSeconds(2);
  /** Late retention (twice the gap) plus two punctuation intervals. */
  /**
   * Spans per trace fragment: about what a Collector batch of 200 ms holds of one trace in the generator's honest
   * traffic (104,970 spans in 14,632 fragments when measured), so that rounds write what ingest would.
   */
  private static final int FRAGMENT_SPANS = 7;
  private static final Duration IDLE_MEASURED = Duration.ofSeconds(6);
  private static final Duration PURGED_AFTER = GAP.multipliedBy(2).plusSeconds(2);

  /**
   * One round: spans in traces of one size, the aggregator's CPU for them (idle cost removed: reading, storing,
   * emitting and purging), the wall time until all were read and until all traces were emitted.
   */
  record Round(int traceSize, long spans, double cpuSeconds, double readSeconds, double emittedSeconds) {
    double cpuMicrosPerSpan() {
      return cpuSeconds * 1e6 / spans;
    }

    double spansPerSecond() {
      return spans / readSeconds;
    }
  }

  /** Heap (after a full collection) and resident memory before and with the open traces. */
  record OpenTraces(long requested, long open, double loadSeconds, long heapBefore, long heapWith, long heapPeak,
      long rssWith, boolean complete) {}

  private final Launcher launcher;
  private final String bootstrapServers;
  private final Map<String, ?> serdeConfig;
  private final Path dir;
  private final List<Span> pool;
  private final Serializer<TraceFragment> fragments;

  AggregatorCost(Launcher launcher, String bootstrapServers, Map<String, ?> serdeConfig, Path dir, List<Span> pool) {
    this.launcher = launcher;
    this.bootstrapServers = bootstrapServers;
    this.serdeConfig = serdeConfig;
    this.dir = dir;
    this.pool = pool;
    this.fragments = Topics.TRACE_FRAGMENTS.valueSerde(serdeConfig).serializer();
  }

  /** Rounds of {@code spansPerRound} spans with these trace sizes, after a warm-up round; in the order given. */
  List<Round> perSpanCost(int spansPerRound, List<Integer> traceSizes) throws Exception {
    List<Round> rounds = new ArrayList<>();
    try (Running running = start("shape", Map.of(AggregatorSettings.GAP.key(), Durations.format(GAP)));
        KafkaProducer<byte[], byte[]> producer = producer()) {
      ChildJvm aggregator = running.jvm();
      StageMetrics metrics = running.metrics();
      round(aggregator, metrics, producer, 10, spansPerRound / 2);
      // Measured after the warm-up round and again after the last, and the lower taken: before, the compilers' work
      // counted as idle and was taken from every round, and right after the warm-up they (or RocksDB's flushes) may
      // still be busy; idle cost is what is left when nothing is.
      double idleBefore = idleCpuPerSecond(aggregator, metrics);
      for (int size : traceSizes) {
        rounds.add(round(aggregator, metrics, producer, size, spansPerRound));
      }
      return withoutIdle(rounds, Math.min(idleBefore, idleCpuPerSecond(aggregator, metrics)));
    }
  }

  /** Rounds measured with their whole CPU, less an idle rate over each round's time. */
  static List<Round> withoutIdle(List<Round> rounds, double idleCpuPerSecond) {
    return rounds.stream().map(r -> new Round(r.traceSize(), r.spans(),
        r.cpuSeconds() - idleCpuPerSecond * r.emittedSeconds(), r.readSeconds(), r.emittedSeconds())).toList();
  }

  /**
   * Per-span CPU of the rounds of large traces against those of 10-span traces (summed over the rounds of each size),
   * or empty when a round's CPU was not above the idle rate: the process's background work then swung more than the
   * rounds' work, and no ratio of them means anything.
   */
  static OptionalDouble sizeRatio(List<Round> rounds) {
    double small = 0;
    double large = 0;
    for (Round r : rounds) {
      if (r.cpuSeconds() <= 0) {
        return OptionalDouble.empty();
      }
      if (r.traceSize() == 10) {
        small += r.cpuSeconds() / r.spans();
      } else {
        large += r.cpuSeconds() / r.spans();
      }
    }
    return small > 0 && large > 0 ? OptionalDouble.of(large / small) : OptionalDouble.empty();
  }

  /** A round with its whole CPU: the idle cost is taken off by the caller. */
  private Round round(ChildJvm aggregator, StageMetrics metrics, KafkaProducer<byte[], byte[]> producer, int size,
      int count) throws Exception {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    int traces = count / size;
    for (int t = 0; t < traces; t++) {
      String traceId = traceId();
      String root = pool.get(t * size % pool.size()).getSpanId();
      List<Span> fragment = new ArrayList<>(FRAGMENT_SPANS);
      for (int i = 0; i < size; i++) {
        Span span = pool.get((t * size + i) % pool.size());
        fragment.add(Span.newBuilder(span).setTraceId(traceId).setParentSpanId(i == 0 ? null : root).build());
        if (fragment.size() == FRAGMENT_SPANS || i == size - 1) {
          records.add(record(fragment));
          fragment = new ArrayList<>(FRAGMENT_SPANS);
        }
      }
    }
    long spansTotal = (long) traces * size;
    StageMetrics.Scrape before = metrics.scrape();
    long cpu0 = aggregator.cpuNanos();
    long t0 = System.nanoTime();
    records.forEach(producer::send);
    producer.flush();
    long read = 0;
    while (true) {
      StageMetrics.Scrape now = metrics.scrape();
      long received = (long) (now.sum(RECEIVED) - before.sum(RECEIVED));
      if (read == 0 && received >= spansTotal) {
        read = System.nanoTime();
      }
      if (read != 0 && now.sum(EMITTED) - before.sum(EMITTED) >= traces && now.sum(OPEN) == 0) {
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    // Emitted spans are deleted one late-retention (twice the gap) later; that work belongs to this round too.
    Thread.sleep(PURGED_AFTER.toMillis());
    long done = System.nanoTime();
    return new Round(size, spansTotal, (aggregator.cpuNanos() - cpu0) / 1e9, (read - t0) / 1e9, (done - t0) / 1e9);
  }

  /** CPU the aggregator spends with nothing to do (polling, commits, being scraped as often as in a round). */
  private static double idleCpuPerSecond(ChildJvm aggregator, StageMetrics metrics) throws Exception {
    long cpu0 = aggregator.cpuNanos();
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < IDLE_MEASURED.toNanos()) {
      metrics.scrape();
      Thread.sleep(POLL.toMillis());
    }
    return (aggregator.cpuNanos() - cpu0) / ((System.nanoTime() - t0) / 1e9) / 1e9;
  }

  /**
   * Writes {@code count} one-span traces for an aggregator whose gap is far longer than the load takes, and measures
   * its heap once they are open (or once {@code budget} is spent, at however many are open then).
   */
  OpenTraces openTraces(long count, Duration budget) throws Exception {
    try (Running running = start("open", Map.of(AggregatorSettings.GAP.key(), "30m",
        AggregatorSettings.MAX_DURATION.key(), "2h"));
        KafkaProducer<byte[], byte[]> producer = producer()) {
      ChildJvm aggregator = running.jvm();
      StageMetrics metrics = running.metrics();
      long heapBefore = aggregator.heapAfterGc();
      long t0 = System.nanoTime();
      long deadline = t0 + budget.toNanos();
      Thread sender = new Thread(() -> {
        for (long i = 0; i < count && System.nanoTime() < deadline; i++) {
          Span span = pool.get((int) (i % pool.size()));
          producer.send(record(List.of(Span.newBuilder(span).setTraceId(traceId()).setParentSpanId(null).build())));
        }
        producer.flush();
      }, "tracepipe-bench-open-traces");
      sender.start();
      long open = 0;
      long peak = 0;
      while (open < count && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        open = (long) metrics.scrape().sum(OPEN);
        peak = Math.max(peak, aggregator.heap().getUsed());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      sender.join();
      long heapWith = aggregator.heapAfterGc();
      open = (long) metrics.scrape().sum(OPEN);
      return new OpenTraces(count, open, seconds, heapBefore, heapWith, peak, aggregator.rssBytes(), open >= count);
    }
  }

  /** An aggregator process and its metrics endpoint. */
  private record Running(ChildJvm jvm, StageMetrics metrics) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      jvm.close();
    }
  }

  private Running start(String name, Map<String, String> settings) throws Exception {
    String group = "tracepipe-bench-" + name + "-";
    try (TopicOffsets offsets = new TopicOffsets(bootstrapServers)) {
      offsets.commitAtEnd(group + AggregatorStage.NAME, Topics.TRACE_FRAGMENTS.name());
      offsets.commitAtEnd(group + AggregatorStage.NAME, Topics.CANONICAL_SPANS.name());
    }
    int port = Bench.freePort();
    Map<String, String> env = new HashMap<>();
    env.put(TracepipeConfig.envName(TracepipeConfig.BOOTSTRAP_SERVERS), bootstrapServers);
    env.put(TracepipeConfig.envName(TracepipeConfig.SCHEMA_REGISTRY_URL),
        String.valueOf(serdeConfig.get(TracepipeConfig.SCHEMA_REGISTRY_URL)));
    env.put(TracepipeConfig.envName(TracepipeConfig.APPLICATION_ID_PREFIX), group);
    env.put(TracepipeConfig.envName(TracepipeConfig.STATE_DIR), dir.resolve(name + "-state").toString());
    env.put(TracepipeConfig.envName(TracepipeConfig.HTTP_PORT), String.valueOf(port));
    settings.forEach((k, v) -> env.put(TracepipeConfig.envName(k), v));
    ChildJvm jvm = ChildJvm.start("aggregator (" + name + ")", launcher.mainClass(), List.of("-Xmx2g", "-XX:+UseG1GC"),
        List.of("stage", AggregatorStage.NAME), env, dir.resolve(AggregatorStage.NAME + "-" + name + ".log"));
    StageMetrics metrics = new StageMetrics("http://localhost:" + port);
    jvm.awaitReady(() -> metrics.healthy() && jvm.logContains(PipelinePhase.running(AggregatorStage.NAME)),
        Duration.ofSeconds(90));
    return new Running(jvm, metrics);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(KafkaCeiling.producerConfig(bootstrapServers), new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** One trace fragment, as ingest writes the spans of a trace from one message. */
  private ProducerRecord<byte[], byte[]> record(List<Span> spans) {
    String topic = Topics.TRACE_FRAGMENTS.name();
    return new ProducerRecord<>(topic, spans.get(0).getTraceId().getBytes(StandardCharsets.UTF_8),
        fragments.serialize(topic, new TraceFragment(spans)));
  }

  private static String traceId() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
