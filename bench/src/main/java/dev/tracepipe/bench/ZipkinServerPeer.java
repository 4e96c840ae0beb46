package dev.tracepipe.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.tracepipe.platform.TopicCreator;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.workload.ExportBatching;
import dev.tracepipe.workload.Format;
import dev.tracepipe.workload.Generator;
import dev.tracepipe.workload.SpanSink;
import dev.tracepipe.workload.SpanSinks;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Zipkin's own server beside us, as a user would run it instead: the exec jar from Maven Central in a JVM of its own,
 * in-memory storage and its Kafka collector on our broker, timed while it consumes a backlog of the generator's
 * honest traffic in Zipkin's JSON format from the {@code zipkin} topic, then driven through the pipeline's ramp with
 * the generator writing live beside it, as the pipeline is. It stores and indexes spans and nothing more:
 * no durability, no exactly-once, no trace assembly, dependency graph, percentiles or alerts.
 */
final class ZipkinServerPeer {
  /** Where the bench's build puts the jar, beside the bench classes or the all-in-one jar. */
  static final String JAR_NAME = "zipkin-server-exec.jar";
  static final String JAR_ENV = "TRACEPIPE_ZIPKIN_JAR";
  private static final String METRIC = "zipkin_collector_spans_total";
  /** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
  private static final double SECONDS_PER_TICK = 0.01;
  private static final Duration SAMPLE = Duration.ofMillis(500);
  /** The backlog is consumed when the count has not moved for this long. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  /**
   * What the server did on the backlog: spans consumed between the first and the last sample that saw the count
   * move, over how long and with how much process CPU ({@code totalCpuSeconds} includes its start-up); then the
   * steps of the same ramp the pipeline ran, with the generator writing live beside it.
   */
  record Result(long spans, double seconds, double cpuSeconds, double totalCpuSeconds, long backlog, String note,
      List<LiveStep> live) {
    Result(long spans, double seconds, double cpuSeconds, double totalCpuSeconds, long backlog, String note) {
      this(spans, seconds, cpuSeconds, totalCpuSeconds, backlog, note, List.of());
    }

    static Result notRun(String why) {
      return new Result(0, 0, 0, 0, 0, why);
    }

    double spansPerSecond() {
      return seconds <= 0 ? 0 : spans / seconds;
    }

    double cpuMicrosPerSpan() {
      return spans == 0 ? 0 : cpuSeconds * 1e6 / spans;
    }

    Result withLive(List<LiveStep> steps) {
      return new Result(spans, seconds, cpuSeconds, totalCpuSeconds, backlog, note, List.copyOf(steps));
    }

    /** The live step with the highest offered rate that kept up, or null. */
    LiveStep sustained() {
      return live.stream().filter(LiveStep::keptUp).max(java.util.Comparator.comparingDouble(LiveStep::offered))
          .orElse(null);
    }
  }

  /**
   * One step of live traffic: per second of the measured interval, spans the generator sent and the server consumed;
   * spans sent and not yet consumed at its start and end; the server's and the bench process's CPU in cores.
   */
  record LiveStep(double offered, double seconds, double sent, double consumed, long unreadStart, long unreadEnd,
      double serverCores, double benchCores) {
    /**
     * Kept up as the pipeline's steps do: it consumed at least 90% of what was sent, and ended the interval with no
     * more than two seconds of input unread (or no more than at its start).
     */
    boolean keptUp() {
      return consumed >= 0.9 * sent && unreadEnd <= Math.max((long) (2 * sent), unreadStart);
    }

    double cpuMicrosPerSpan() {
      return consumed <= 0 ? 0 : serverCores * 1e6 / consumed;
    }
  }

  /** The pipeline's ramp, for the server: its rates and the options of its steps. */
  record LiveRamp(List<Double> rates, BenchOptions options) {}

  private final String bootstrap;
  private final Path jar;
  private final Path dir;
  private final PrintStream progress;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ZipkinServerPeer(String bootstrap, Path jar, Path dir, PrintStream progress) {
    this.bootstrap = bootstrap;
    this.jar = jar;
    this.dir = dir;
    this.progress = progress;
  }

  /** The exec jar: {@value #JAR_ENV} when set, else {@value #JAR_NAME} beside the bench classes or the all-in-one jar. */
  static Path locateJar() {
    String fromEnv = System.getenv(JAR_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    try {
      Path code = Path.of(ZipkinServerPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path beside = code.getParent().resolve(JAR_NAME);
      // From the all-in-one jar in launcher/target, the bench module's build output holds it.
      Path root = code.getParent().getParent() == null ? null : code.getParent().getParent().getParent();
      Path benchBuild = root == null ? beside : root.resolve("bench/target").resolve(JAR_NAME);
      return Files.isRegularFile(beside) || !Files.isRegularFile(benchBuild) ? beside : benchBuild;
    } catch (URISyntaxException | SecurityException e) {
      return Path.of("bench/target", JAR_NAME);
    }
  }

  /** Writes a backlog of about {@code spans} spans in Zipkin format, then times the server consuming it. */
  Result measure(long spans, ExportBatching batching, Duration maxMeasure) throws Exception {
    return measure(spans, batching, maxMeasure, null);
  }

  /**
   * Times the server on a backlog as {@link #measure(long, ExportBatching, Duration)} does, then, when {@code ramp}
   * is given, runs the pipeline's ramp against it with the generator writing live, as the pipeline's steps do.
   */
  Result measure(long spans, ExportBatching batching, Duration maxMeasure, LiveRamp ramp) throws Exception {
    if (!Files.isRegularFile(jar)) {
      return Result.notRun("no " + jar + " (the build copies it from Maven Central; or set " + JAR_ENV + ")");
    }
    long backlog = writeBacklog(spans, batching);
    int port = Bench.freePort();
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-XX:+UseG1GC", "-jar", jar.toString(),
        "--zipkin.collector.kafka.overrides.auto.offset.reset=earliest");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("zipkin-server.log").toFile());
    builder.environment().putAll(Map.of("STORAGE_TYPE", "mem", "QUERY_PORT", String.valueOf(port),
        "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "KAFKA_TOPIC", Topics.ZIPKIN.name(),
        "KAFKA_GROUP_ID", "zipkin-bench-" + System.nanoTime()));
    Process process = builder.start();
    Thread stopOnExit = new Thread(process::destroy, "stop-zipkin-server");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      URI metrics = URI.create("http://localhost:" + port + "/prometheus");
      Result drained = time(process, metrics, backlog, maxMeasure);
      if (ramp == null || drained.spans() == 0) {
        return drained;
      }
      try (SpanSink sink = SpanSinks.batched(SpanSinks.kafka(Format.ZIPKIN, bootstrap, Map.of(), Map.of()), batching)) {
        return drained.withLive(live(process.pid(), metrics, sink, ramp));
      }
    } finally {
      process.destroy();
      process.waitFor();
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }
  }

  private long writeBacklog(long spans, ExportBatching batching) throws InterruptedException {
    TopicCreator.createMissing(TracepipeConfig.load(null, Map.of())
        .with(Map.of(TracepipeConfig.BOOTSTRAP_SERVERS, bootstrap)), List.of(Topics.ZIPKIN));
    progress.printf("bench: writing a backlog of %,d spans in Zipkin format to %s...%n", spans, Topics.ZIPKIN.name());
    try (SpanSink sink = SpanSinks.batched(SpanSinks.kafka(Format.ZIPKIN, bootstrap, Map.of(), Map.of()), batching)) {
      Generator generator = Generator.builder(sink).spansPerSecond(0).seed(14).build();
      generator.start();
      while (generator.spansSent() < spans && generator.isRunning()) {
        Thread.sleep(50);
      }
      generator.stop();
      return generator.await().spans();
    }
  }

  private List<LiveStep> live(long pid, URI metrics, SpanSink sink, LiveRamp ramp) throws Exception {
    BenchOptions options = ramp.options();
    return Ramp.search(ramp.rates(), options.rampFactor(), options.rampFrom(), options, new Ramp.Subject<>() {
      @Override
      public LiveStep step(double rate) throws Exception {
        progress.printf("bench: Zipkin's server, live step, %,.0f spans/s offered...%n", rate);
        settle();
        return liveStep(pid, metrics, sink, rate, options);
      }

      @Override
      public boolean keptUp(LiveStep step) {
        return step.keptUp();
      }

      @Override
      public double offered(LiveStep step) {
        return step.offered();
      }

      @Override
      public void settle() throws Exception {
        awaitQuiet(metrics, Duration.ofSeconds(60));
      }
    });
  }

  private LiveStep liveStep(long pid, URI metrics, SpanSink sink, double rate, BenchOptions options)
      throws Exception {
    OperatingSystemMXBean self = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long base = spansConsumed(metrics);
    Generator generator = Generator.builder(sink).spansPerSecond(rate).threads(options.generatorThreads()).build();
    generator.start();
    try {
      Thread.sleep(options.stepWarmup().toMillis());
      long startNanos = System.nanoTime();
      long sentStart = generator.spansSent();
      long consumedStart = spansConsumed(metrics) - base;
      long serverStart = cpuTicks(pid);
      long benchStart = self.getProcessCpuTime();
      Thread.sleep(options.stepMeasure().toMillis());
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      long sentEnd = generator.spansSent();
      long consumedEnd = spansConsumed(metrics) - base;
      double serverCores = (cpuTicks(pid) - serverStart) * SECONDS_PER_TICK / seconds;
      double benchCores = (self.getProcessCpuTime() - benchStart) / 1e9 / seconds;
      return new LiveStep(rate, seconds, (sentEnd - sentStart) / seconds, (consumedEnd - consumedStart) / seconds,
          sentStart - consumedStart, sentEnd - consumedEnd, serverCores, benchCores);
    } finally {
      generator.stop();
      generator.await();
    }
  }

  /** Waits until the server's count has not moved for a second, or {@code timeout}. */
  private void awaitQuiet(URI metrics, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = spansConsumed(metrics);
    long still = System.nanoTime();
    while (System.nanoTime() < deadline && System.nanoTime() - still < Duration.ofSeconds(1).toNanos()) {
      Thread.sleep(250);
      long now = spansConsumed(metrics);
      if (now != last) {
        last = now;
        still = System.nanoTime();
      }
    }
  }

  private Result time(Process process, URI metrics, long backlog, Duration maxMeasure) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    List<long[]> samples = new ArrayList<>();
    long highest = 0;
    long lastMove = 0;
    boolean consuming = false;
    while (process.isAlive()) {
      long now = System.nanoTime();
      long count = spansConsumed(metrics);
      samples.add(new long[] {now, count, cpuTicks(process.pid())});
      if (count > highest) {
        highest = count;
        lastMove = now;
        if (!consuming) {
          consuming = true;
          deadline = now + maxMeasure.toNanos();
        }
      }
      boolean done = consuming && (now - lastMove > QUIET.toNanos() || highest >= backlog);
      if (done || now > deadline) {
        break;
      }
      Thread.sleep(SAMPLE.toMillis());
    }
    if (!consuming) {
      return Result.notRun("the server consumed nothing (log: " + dir.resolve("zipkin-server.log") + ")");
    }
    // From the last sample that answered with nothing consumed yet (else the first that counted) to the highest.
    long[] start = null;
    long[] end = null;
    for (long[] sample : samples) {
      if (sample[1] == 0 || (start == null && sample[1] > 0)) {
        start = end == null ? sample : start;
      }
      if (sample[1] > 0 && (end == null || sample[1] > end[1])) {
        end = sample;
      }
    }
    long base = start[1];
    String note = end[1] >= backlog ? "consumed the whole backlog" : "measured for " + maxMeasure.toSeconds() + " s";
    return new Result(end[1] - base, (end[0] - start[0]) / 1e9, (end[2] - start[2]) * SECONDS_PER_TICK,
        end[2] * SECONDS_PER_TICK, backlog, note);
  }

  /** The Kafka collector's span counter, or -1 while the server does not answer yet. */
  private long spansConsumed(URI metrics) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? counter(response.body()) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Sums {@code zipkin_collector_spans_total{transport="kafka"}} in a Prometheus text page; 0 when absent. */
  static long counter(String prometheusText) {
    double total = 0;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith(METRIC) && line.contains("transport=\"kafka\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return (long) total;
  }

  /** User plus system time of a process, in clock ticks, from {@code /proc/<pid>/stat}; 0 when unreadable. */
  static long cpuTicks(long pid) {
    try {
      return cpuTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    } catch (IOException e) {
      return 0;
    }
  }

  /** Fields 14 and 15 (utime, stime), counted after the command name, which may itself hold spaces. */
  static long cpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
