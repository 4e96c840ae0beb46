package dev.tracepipe.bench;

import dev.tracepipe.aggregator.AggregatorSettings;
import dev.tracepipe.avro.Span;
import dev.tracepipe.ingest.IngestSettings;
import dev.tracepipe.ingest.ReceiverSettings;
import dev.tracepipe.latency.LatencySettings;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.LogFile;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@code tracepipe bench}: starts a broker process and a stage process, drives them with the generator from this
 * process, and prints what it measured next to what Kafka alone does here (see {@link BenchCommand}).
 */
final class Bench {
  /** The stage process runs with these on top of the defaults: short windows so that alerts fire within a phase. */
  static final Map<String, String> STAGE_SETTINGS = ShortWindows.with(Map.of(
      LatencySettings.STORM_MAX_PER_WINDOW.key(), "1000",
      IngestSettings.OTLP_PORT.key(), "-1",
      IngestSettings.ZIPKIN_PORT.key(), "-1",
      ReceiverSettings.GRPC_PORT, "-1"));
  static final String STAGE_HEAP = "-Xmx2g";
  private static final int POOL_SPANS = 20_000;
  /** Enough for Zipkin's server to run for half a minute at the rate it reached on this machine before. */
  private static final long ZIPKIN_BACKLOG_SPANS = 2_000_000;

  private Bench() {}

  /** Runs the whole benchmark; {@code command} is how it was called, for the report. */
  static int run(BenchOptions options, List<String> command, Launcher launcher) throws Exception {
    Path dir = options.dataDir() != null ? Files.createDirectories(options.dataDir())
        : Files.createTempDirectory("tracepipe-bench");
    LogFile.redirectTo(dir.resolve("bench.log"));
    PrintStream progress = System.err;
    BenchReport report = new BenchReport(options, command);
    progress.println("bench: files and logs in " + dir);
    int kafkaPort = freePort();
    int registryPort = freePort();
    try (ChildJvm broker = ChildJvm.start("broker", launcher.mainClass(), List.of("-Xmx1g", "-XX:+UseG1GC"), List.of("broker",
        "--data-dir", dir.resolve("broker").toString(), "--kafka-port", String.valueOf(kafkaPort),
        "--controller-port", String.valueOf(freePort()), "--registry-port", String.valueOf(registryPort)),
        Map.of(), dir.resolve("broker.log"))) {
      broker.awaitReady(() -> broker.logContains(launcher.brokerReady()), Duration.ofSeconds(90));
      String bootstrap = "localhost:" + kafkaPort;
      Map<String, Object> serde = Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registryPort);
      List<Span> pool = spanPool();

      progress.println("bench: Kafka ceiling, " + options.ceilingTime().toSeconds() + " s of producing...");
      report.ceiling(KafkaCeiling.measure(bootstrap, payloads(pool, serde), options.ceilingTime()));

      PipelinePhase.Result best = pipeline(options, launcher, dir, bootstrap, serde, broker, report, progress);
      // Zipkin's ramp starts where the pipeline's ended, with the same factor, steps and rule for keeping up.
      double first = best == null ? options.rampFrom() : best.offered();
      ZipkinServerPeer.LiveRamp ramp = new ZipkinServerPeer.LiveRamp(
          Ramp.upFrom(first, options.rampFactor(), Math.max(first, options.rate())), options);

      progress.println("bench: Zipkin's server on the same broker, same traffic in Zipkin format...");
      report.zipkin(new ZipkinServerPeer(bootstrap, ZipkinServerPeer.locateJar(), dir, progress)
          .measure(ZIPKIN_BACKLOG_SPANS, ShortWindows.EXPORT, Duration.ofSeconds(60), ramp));

      AggregatorCost aggregator = new AggregatorCost(launcher, bootstrap, serde, dir, pool);
      progress.println("bench: aggregator per-span cost, 10-span against 1,000-span traces...");
      report.shapes(aggregator.perSpanCost(options.shapeSpans(), List.of(10, 1_000, 10, 1_000)));
      progress.println("bench: aggregator heap with " + options.openTraces() + " open traces...");
      report.openTraces(aggregator.openTraces(options.openTraces(), options.openTracesBudget()));
    } finally {
      if (options.dataDir() == null) {
        try {
          progress.println("bench: " + removeData(dir));
        } catch (IOException e) {
          // Never in place of the run's own failure: a full disk is what this cleanup is for.
          progress.println("bench: could not remove the data in " + dir + ": " + e);
        }
      }
    }
    String text = report.render();
    System.out.print(text);
    if (options.report() != null) {
      Files.writeString(options.report(), text, StandardCharsets.UTF_8);
    }
    return 0;
  }

  /**
   * Deletes what a run in a temporary directory leaves besides its logs and flight recording: the broker's log
   * segments and the stages' state, gigabytes a run (every subdirectory; the logs and recordings are files beside them).
   */
  static String removeData(Path dir) throws IOException {
    long bytes = 0;
    List<Path> subdirectories;
    try (Stream<Path> children = Files.list(dir)) {
      subdirectories = children.filter(Files::isDirectory).toList();
    }
    for (Path sub : subdirectories) {
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(sub)) {
        paths = walk.sorted(Comparator.reverseOrder()).toList();
      }
      for (Path path : paths) {
        if (Files.isRegularFile(path)) {
          bytes += Files.size(path);
        }
        Files.deleteIfExists(path);
      }
    }
    return "removed " + BenchReport.gib(bytes) + " of broker and state data; logs and the flight recording stay in "
        + dir;
  }

  /**
   * Every stage in one process against the broker: the throughput ramp, then the latency phase at half its rate;
   * returns the ramp's highest step that kept up, or null.
   */
  private static PipelinePhase.Result pipeline(BenchOptions options, Launcher launcher, Path dir, String bootstrap, Map<String, Object> serde,
      ChildJvm broker, BenchReport report, PrintStream progress) throws Exception {
    int httpPort = freePort();
    Map<String, String> env = new HashMap<>();
    STAGE_SETTINGS.forEach((k, v) -> env.put(TracepipeConfig.envName(k), v));
    env.put(TracepipeConfig.envName(AggregatorSettings.GAP.key()), Durations.format(options.gap()));
    progress.println("bench: starting every stage in a process of its own...");
    try (ChildJvm stages = ChildJvm.start("stages", launcher.mainClass(), List.of(STAGE_HEAP, "-XX:+UseG1GC"), List.of("run",
        "--bootstrap-servers", bootstrap, "--schema-registry-url", (String) serde.get(TracepipeConfig.SCHEMA_REGISTRY_URL),
        "--http-port", String.valueOf(httpPort), "--data-dir", dir.resolve("stages").toString()), env,
        dir.resolve("stages.log"));
        TopicOffsets offsets = new TopicOffsets(bootstrap);
        SpanSink sink = SpanSinks.batched(SpanSinks.kafka(options.format(), bootstrap, serde, Map.of()),
            ShortWindows.EXPORT)) {
      StageMetrics metrics = new StageMetrics("http://localhost:" + httpPort);
      stages.awaitReady(() -> metrics.healthy() && PipelinePhase.STAGES.stream()
          .allMatch(s -> stages.logContains(PipelinePhase.running(s))), Duration.ofSeconds(120));
      // Recording from the start: starting it later would make the stage process recompile in the middle of a step.
      long recording = stages.startRecording();
      try (TraceTimer timer = new TraceTimer(bootstrap, serde)) {
        PipelinePhase phase = new PipelinePhase(stages, broker, metrics, offsets, timer, sink,
            options.format().topic().name(), "tracepipe-");
        double warmRate = options.latencyRate() > 0 ? options.latencyRate() : options.rampRates().get(0);
        progress.printf("bench: warming the stage process's JIT up at %,.0f spans/s...%n", warmRate);
        report.jitWarmUp(phase.warmUpJit(warmRate, options.generatorThreads(), options.jitWarmUp()));
        if (!phase.awaitCaughtUp(Duration.ofSeconds(60))) {
          progress.println("bench: stages had not caught up 60 s after the warm-up; going on");
        }
        List<PipelinePhase.Result> steps = Ramp.search(options.rampRates(), options.rampFactor(),
            options.rampFrom(), options, new Ramp.Subject<>() {
              @Override
              public PipelinePhase.Result step(double rate) throws Exception {
                progress.printf("bench: throughput step, %,.0f spans/s offered...%n", rate);
                return phase.run(rate, options.generatorThreads(), options.stepWarmup(), options.stepMeasure(),
                    null, null);
              }

              @Override
              public boolean keptUp(PipelinePhase.Result step) {
                return step.keptUp();
              }

              @Override
              public double offered(PipelinePhase.Result step) {
                return step.offered();
              }

              @Override
              public void settle() throws Exception {
                if (!phase.awaitCaughtUp(Duration.ofSeconds(60))) {
                  progress.println("bench: stages had not caught up 60 s after a step that fell behind; going on");
                }
              }
            });
        if (!phase.awaitCaughtUp(Duration.ofSeconds(60))) {
          progress.println("bench: stages had not caught up 60 s after the throughput ramp; going on");
        }
        double latencyRate = options.latencyRate() > 0 ? options.latencyRate() : halfSustained(steps);
        progress.printf("bench: latency phase, %,.0f spans/s, fault %s after %d s...%n", latencyRate,
            options.fault(), options.warmup().plusSeconds(5).toSeconds());
        report.latency(phase.run(latencyRate, options.generatorThreads(), options.warmup(),
            options.measure(), options.fault(), options.warmup().plusSeconds(5)));
        Path jfr = dir.resolve("stages.jfr");
        stages.dumpRecording(recording, jfr);
        report.throughput(steps, jfr);
        return PipelinePhase.highestKeptUp(steps);
      }
    }
  }

  /**
   * Half the end-to-end rate of the highest step that kept up (of the first step when none did), in whole hundreds:
   * the rate at which emission latency is held to its target.
   */
  static double halfSustained(List<PipelinePhase.Result> steps) {
    PipelinePhase.Result best = PipelinePhase.highestKeptUp(steps);
    double sustained = (best == null ? steps.get(0) : best).traceSpansPerSecond();
    return Math.max(100, Math.floor(sustained / 200) * 100);
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
