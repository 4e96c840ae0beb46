package dev.tracepipe.launcher;

import dev.tracepipe.aggregator.AggregatorSettings;
import dev.tracepipe.bench.ShortWindows;
import dev.tracepipe.ingest.IngestSettings;
import dev.tracepipe.latency.LatencySettings;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.workload.FaultType;
import dev.tracepipe.workload.Format;
import dev.tracepipe.workload.Generator;
import dev.tracepipe.workload.GeneratorBuilder;
import dev.tracepipe.workload.SimulatedSystem;
import dev.tracepipe.workload.SpanSink;
import dev.tracepipe.workload.SpanSinks;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code tracepipe demo} runs: the all-in-one pipeline with short windows, the simulated shop's traffic
 * with a fault switched on after a while, and the readers behind the four panels. Headless: the screen is
 * {@link DemoScreen}'s job, so tests can look at the same numbers.
 */
final class Demo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
  private static final Duration EDGE_LOOKBACK = Duration.ofMinutes(1);
  private static final Duration LATENCY_LOOKBACK = Duration.ofSeconds(40);
  static final int ROWS = 8;

  /**
   * Short windows so that a demo shows results in seconds: traces complete 3 s after their last span, latency and
   * dependency windows are 10 s, baselines trust 20 samples, and storm control lets 5 alerts a root operation
   * through every 10 s.
   */
  static final Map<String, String> SETTINGS = ShortWindows.with(Map.of(
      AggregatorSettings.GAP.key(), "3s",
      LatencySettings.STORM_MAX_PER_WINDOW.key(), "5"));

  private final DemoOptions options;
  private final AllInOne pipeline;
  private final SpanSink sink;
  private final Generator generator;
  private final DemoFeed feed;
  private final DemoQueries queries;
  private final Path temporaryDataDir;
  private final String faultTarget;
  private long lastNanos;
  private long lastSpans;
  private long lastTraces;

  private Demo(DemoOptions options, AllInOne pipeline, SpanSink sink, Generator generator, DemoFeed feed,
      Path temporaryDataDir) {
    this.options = options;
    this.pipeline = pipeline;
    this.sink = sink;
    this.generator = generator;
    this.feed = feed;
    this.queries = new DemoQueries(pipeline.runner().context().http().baseUrl());
    this.temporaryDataDir = temporaryDataDir;
    this.faultTarget = options.fault() == null ? null : describeTarget(options);
    this.lastNanos = System.nanoTime();
  }

  /** Where Zipkin Lens shows the demo's traces. */
  String uiUrl() {
    return pipeline.uiUrl();
  }

  /** Starts the pipeline, the readers and the traffic; {@code overrides} replace settings (tests choose ports). */
  /** tracepipe's own page, served by the stages' HTTP server. */
  String pageUrl() {
    return pipeline.runner().context().http().baseUrl() + "/";
  }

  static Demo start(DemoOptions options, Map<String, String> overrides) throws Exception {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    Path temporary = null;
    if (options.local().broker.dataDir == null && !overrides.containsKey(AllInOne.DATA_DIR)) {
      temporary = Files.createTempDirectory("tracepipe-demo");
      settings.put(AllInOne.DATA_DIR, temporary.toString());
    }
    settings.putAll(overrides);
    AllInOne pipeline = null;
    SpanSink sink = null;
    DemoFeed feed = null;
    try {
      pipeline = AllInOne.start(options.local(), settings);
      TracepipeConfig config = pipeline.runner().context().config();
      feed = new DemoFeed(pipeline.bootstrapServers(), config.serdeConfig());
      sink = sink(options.format(), pipeline, config);
      GeneratorBuilder builder = Generator.builder(sink).tracesPerSecond(options.rate());
      if (options.fault() != null) {
        builder.faultAfter(options.fault(), options.faultAfter());
      }
      Generator generator = builder.build();
      generator.start();
      LOG.info("demo traffic: {} traces/s as {}, fault {} after {}", options.rate(), options.format().cliName(),
          options.fault(), options.faultAfter());
      return new Demo(options, pipeline, sink, generator, feed, temporary);
    } catch (Exception | Error e) {
      closeAll(feed, sink, pipeline);
      deleteQuietly(temporary);
      throw e;
    }
  }

  private static SpanSink sink(Format format, AllInOne pipeline, TracepipeConfig config) {
    if (format == Format.OTLP_HTTP) {
      int port = IngestSettings.OTLP_PORT.integer(config);
      if (port <= 0) {
        throw new IllegalArgumentException("--format otlp-http needs a fixed " + IngestSettings.OTLP_PORT.key()
            + ", not " + port);
      }
      String host = IngestSettings.receiverHost(config);
      return SpanSinks.otlpHttp(URI.create("http://" + host + ":" + port));
    }
    return SpanSinks.batched(SpanSinks.kafka(format, pipeline.bootstrapServers(), config.serdeConfig(), Map.of()),
        ShortWindows.EXPORT);
  }

  private static String describeTarget(DemoOptions options) {
    SimulatedSystem shop = new SimulatedSystem(0);
    String service = options.fault().service();
    if (options.fault().type() == FaultType.SLOW_HOST) {
      return "host " + shop.slowHostOf(service) + " of " + service + " works 10x slower";
    }
    if (options.fault().type() == FaultType.SLOW_RELEASE) {
      return service + " " + shop.newVersionOf(service) + " works 4x slower";
    }
    return options.fault().type() == FaultType.MISSING_CALL ? "calls to " + service + " go missing"
        : "most calls to " + service + " fail";
  }

  /** The four panels now; rates are measured since the previous snapshot. */
  synchronized DemoSnapshot snapshot() {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    long spans = generator.spansSent();
    long traces = feed.traceCount();
    DemoSnapshot.Traces tracesPanel = new DemoSnapshot.Traces(traces, (spans - lastSpans) / seconds,
        (traces - lastTraces) / seconds, feed.latest());
    lastNanos = now;
    lastSpans = spans;
    lastTraces = traces;
    DemoSnapshot.Panel<DemoQueries.Edge> edges = panel(() -> queries.topEdges(EDGE_LOOKBACK, ROWS));
    DemoSnapshot.Panel<DemoQueries.OperationLatency> slowest =
        panel(() -> queries.slowestOperations(feed.operations(), LATENCY_LOOKBACK, ROWS));
    return new DemoSnapshot(generator.summary().elapsed(), faultLine(), tracesPanel, edges, slowest,
        new DemoSnapshot.Alerts(feed.alertCount(), feed.latestAlerts(), feed.topBlames(), feed.firing()),
        pageUrl());
  }

  /** What a query returned, or its error in place of the rows; an interrupt is kept for the caller to see. */
  private static <T> DemoSnapshot.Panel<T> panel(Query<T> query) {
    try {
      return new DemoSnapshot.Panel<>(query.rows(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DemoSnapshot.Panel<>(List.of(), "interrupted");
    } catch (IOException e) {
      return new DemoSnapshot.Panel<>(List.of(), e.getMessage());
    }
  }

  private interface Query<T> {
    List<T> rows() throws IOException, InterruptedException;
  }

  private String faultLine() {
    if (options.fault() == null) {
      return "no fault (--fault TYPE:SERVICE injects one)";
    }
    if (generator.faults().isActive(options.fault())) {
      return options.fault() + " is ON: " + faultTarget;
    }
    long in = options.faultAfter().minus(generator.summary().elapsed()).toSeconds();
    return options.fault() + " switches on in " + Math.max(0, in) + " s (" + faultTarget + ")";
  }

  @Override
  public void close() {
    generator.stop();
    try {
      generator.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      LOG.error("demo traffic failed", e);
    }
    closeAll(feed, sink, pipeline);
    deleteQuietly(temporaryDataDir);
  }

  private static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        LOG.error("error while stopping {}", resource, e);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      LOG.warn("could not delete the demo's data in {}", dir, e);
    }
  }
}
