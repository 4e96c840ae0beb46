package dev.tracepipe.launcher;

import dev.tracepipe.avro.Span;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.workload.SimulatedSystem;
import dev.tracepipe.workload.SpanSink;
import dev.tracepipe.workload.SpanSinks;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@code tracepipe bench}: starts a broker process and a stage process, drives them with the generator from this
 * process, and prints what it measured next to what Kafka alone does here (see {@link BenchOptions#HELP}).
 */
final class Bench {
  /** The stage process runs with these on top of the defaults: short windows so that alerts fire within a phase. */
  static final Map<String, String> STAGE_SETTINGS = ShortWindows.with(Map.of(
      "tracepipe.alerts.storm.max-per-window", "1000",
      "ingest.otlp.port", "-1",
      "ingest.zipkin.port", "-1",
      "ingest.otlp.grpc.port", "-1"));
  static final String STAGE_HEAP = "-Xmx2g";
  private static final int POOL_SPANS = 20_000;

  private Bench() {}

  static int main(String[] argv) throws Exception {
    if (Args.wantsHelp(argv)) {
      System.out.print(BenchOptions.HELP);
      return 0;
    }
    BenchOptions options = BenchOptions.parse(argv);
    Path dir = options.dataDir() != null ? Files.createDirectories(options.dataDir())
        : Files.createTempDirectory("tracepipe-bench");
    LogFile.redirectTo(dir.resolve("bench.log"));
    PrintStream progress = System.err;
    BenchReport report = new BenchReport(options, argv);
    progress.println("bench: files and logs in " + dir);
    int kafkaPort = freePort();
    int registryPort = freePort();
    try (ChildJvm broker = ChildJvm.start("broker", List.of("-Xmx1g", "-XX:+UseG1GC"), List.of("broker",
        "--data-dir", dir.resolve("broker").toString(), "--kafka-port", String.valueOf(kafkaPort),
        "--controller-port", String.valueOf(freePort()), "--registry-port", String.valueOf(registryPort)),
        Map.of(), dir.resolve("broker.log"))) {
      broker.awaitReady(() -> broker.logContains(BrokerCommand.READY), Duration.ofSeconds(90));
      String bootstrap = "localhost:" + kafkaPort;
      Map<String, Object> serde = Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registryPort);
      List<Span> pool = spanPool();

      progress.println("bench: Kafka ceiling, " + options.ceilingTime().toSeconds() + " s of producing...");
      report.ceiling(KafkaCeiling.measure(bootstrap, payloads(pool, serde), options.ceilingTime()));

      pipeline(options, dir, bootstrap, serde, broker, report, progress);

      AggregatorCost aggregator = new AggregatorCost(bootstrap, serde, dir, pool);
      progress.println("bench: aggregator per-span cost, 10-span against 1,000-span traces...");
      report.shapes(aggregator.perSpanCost(options.shapeSpans(), List.of(10, 1_000, 10, 1_000)));
      progress.println("bench: aggregator heap with " + options.openTraces() + " open traces...");
      report.openTraces(aggregator.openTraces(options.openTraces(), options.openTracesBudget()));
    }
    String text = report.render();
    System.out.print(text);
    if (options.report() != null) {
      Files.writeString(options.report(), text, StandardCharsets.UTF_8);
    }
    return 0;
  }

  /** Every stage in one process against the broker, fed at the latency rate and then at the throughput rate. */
  private static void pipeline(BenchOptions options, Path dir, String bootstrap, Map<String, Object> serde,
      ChildJvm broker, BenchReport report, PrintStream progress) throws Exception {
    int httpPort = freePort();
    Map<String, String> env = new HashMap<>();
    STAGE_SETTINGS.forEach((k, v) -> env.put(TracepipeConfig.envName(k), v));
    env.put(TracepipeConfig.envName("aggregator.inactivity.gap"), options.gap().toMillis() + "ms");
    progress.println("bench: starting every stage in a process of its own...");
    try (ChildJvm stages = ChildJvm.start("stages", List.of(STAGE_HEAP, "-XX:+UseG1GC"), List.of("run",
        "--bootstrap-servers", bootstrap, "--schema-registry-url", (String) serde.get("schema.registry.url"),
        "--http-port", String.valueOf(httpPort), "--data-dir", dir.resolve("stages").toString()), env,
        dir.resolve("stages.log"));
        TopicOffsets offsets = new TopicOffsets(bootstrap);
        SpanSink sink = SpanSinks.kafka(options.format(), bootstrap, serde, Map.of())) {
      StageMetrics metrics = new StageMetrics("http://localhost:" + httpPort);
      stages.awaitReady(() -> metrics.healthy() && PipelinePhase.STAGES.stream()
          .allMatch(s -> stages.logContains(s + ": REBALANCING -> RUNNING")), Duration.ofSeconds(120));
      // Recording from the start: starting it later would make the stage process recompile in the middle of a step.
      long recording = stages.startRecording();
      try (TraceTimer timer = new TraceTimer(bootstrap, serde)) {
        PipelinePhase phase = new PipelinePhase(stages, broker, metrics, offsets, timer, sink,
            options.format().topic().name(), "tracepipe-");
        progress.printf("bench: warming the stage process's JIT up at %,.0f spans/s...%n", options.latencyRate());
        report.jitWarmUp(phase.warmUpJit(options.latencyRate(), options.generatorThreads(), options.jitWarmUp()));
        progress.printf("bench: latency phase, %,.0f spans/s, fault %s after %d s...%n", options.latencyRate(),
            options.fault(), options.warmup().plusSeconds(5).toSeconds());
        report.latency(phase.run(options.latencyRate(), options.generatorThreads(), options.warmup(),
            options.measure(), options.fault(), options.warmup().plusSeconds(5)));
        if (!phase.awaitCaughtUp(Duration.ofSeconds(60))) {
          progress.println("bench: stages had not caught up 60 s after the latency phase; going on");
        }
        List<PipelinePhase.Result> steps = new ArrayList<>();
        for (double rate : options.rampRates()) {
          progress.printf("bench: throughput step, %,.0f spans/s offered...%n", rate);
          PipelinePhase.Result step = phase.run(rate, options.generatorThreads(), options.stepWarmup(),
              options.stepMeasure(), null, null);
          steps.add(step);
          if (!step.keptUp()) {
            break;
          }
        }
        Path jfr = dir.resolve("stages.jfr");
        stages.dumpRecording(recording, jfr);
        report.throughput(steps, jfr);
      }
    }
  }

  /** Spans of the simulated shop's traffic, the same mix the generator sends. */
  static List<Span> spanPool() {
    SimulatedSystem shop = new SimulatedSystem(1);
    List<Span> pool = new ArrayList<>();
    long start = TraceTimer.epochNanos();
    while (pool.size() < POOL_SPANS) {
      pool.addAll(shop.nextTrace(start));
      start += 10_000_000L;
    }
    return pool;
  }

  /** The pool as canonical-span records: trace id key, the registry's Avro encoding. */
  static List<KafkaCeiling.Payload> payloads(List<Span> pool, Map<String, ?> serde) {
    Serializer<Span> serializer = Topics.CANONICAL_SPANS.valueSerde(serde).serializer();
    return pool.stream().map(span -> new KafkaCeiling.Payload(span.getTraceId().getBytes(StandardCharsets.UTF_8),
        serializer.serialize(Topics.CANONICAL_SPANS.name(), span))).toList();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
