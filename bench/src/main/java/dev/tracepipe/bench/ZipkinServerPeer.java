package dev.tracepipe.bench;

import dev.tracepipe.platform.TopicCreator;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.workload.ExportBatching;
import dev.tracepipe.workload.Format;
import dev.tracepipe.workload.Generator;
import dev.tracepipe.workload.SpanSink;
import dev.tracepipe.workload.SpanSinks;
import java.io.IOException;
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
 * honest traffic in Zipkin's JSON format from the {@code zipkin} topic. It stores and indexes spans and nothing more:
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
   * What the server did: spans consumed between the first and the last sample that saw the count move, over how
   * long and with how much process CPU; {@code totalCpuSeconds} includes its start-up.
   */
  record Result(long spans, double seconds, double cpuSeconds, double totalCpuSeconds, long backlog, String note) {
    static Result notRun(String why) {
      return new Result(0, 0, 0, 0, 0, why);
    }

    double spansPerSecond() {
      return seconds <= 0 ? 0 : spans / seconds;
    }

    double cpuMicrosPerSpan() {
      return spans == 0 ? 0 : cpuSeconds * 1e6 / spans;
    }
  }

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
      return time(process, URI.create("http://localhost:" + port + "/prometheus"), backlog, maxMeasure);
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
