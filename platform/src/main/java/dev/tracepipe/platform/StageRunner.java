package dev.tracepipe.platform;

import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages in one process: loads configuration, creates missing topics, serves {@code /health} and {@code /metrics},
 * starts each stage and stops them all, in reverse order, on SIGTERM or Ctrl-C.
 */
public final class StageRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
  private static final long CLOSE_TIMEOUT_MS = 6_000;
  public static final String TRUSTED_AVRO_PACKAGES = "dev.tracepipe,java.lang,java.util,java.math";

  private StageContext context;
  private final List<AutoCloseable> stages = new ArrayList<>();
  /** Closed after the stages, last added first. */
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  public StageRunner(TracepipeConfig config) {
    trustAvroPackages();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    HttpApi http = HttpApi.start("tracepipe", config.string(TracepipeConfig.HTTP_HOST, "localhost"),
        config.integer(TracepipeConfig.HTTP_PORT, 8080), HttpSettings.from(config, HttpSettings.PREFIX));
    Health health = new Health();
    http.get("/health", request -> health.report());
    http.get("/metrics", request -> HttpResponse.of(200, "text/plain; version=0.0.4; charset=utf-8",
        meters.scrape().getBytes(StandardCharsets.UTF_8)));
    this.context = new StageContext(config, meters, http, health);
    resources.add(http);
  }

  /** Avro 1.12 instantiates generated classes only from trusted packages. */
  public static void trustAvroPackages() {
    if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
      System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", TRUSTED_AVRO_PACKAGES);
    }
  }

  public StageContext context() {
    return context;
  }

  /**
   * Creates every catalogue topic that is missing; the stages started afterwards replicate their internal topics the
   * same way.
   */
  public StageRunner createTopics() {
    short replication = TopicCreator.createMissing(context.config(), Topics.ALL);
    TracepipeConfig resolved = context.config().with(
        Map.of(TracepipeConfig.TOPIC_REPLICATION, String.valueOf(replication)));
    context = new StageContext(resolved, context.meters(), context.http(), context.health());
    return this;
  }

  public StageRunner start(Stage stage) throws Exception {
    LOG.info("starting stage {}", stage.name());
    stages.add(stage.start(context));
    return this;
  }

  /** Also close something that is not a stage (an embedded broker, say) when stopping, after the stages and HTTP. */
  public StageRunner closeLast(AutoCloseable resource) {
    resources.add(0, resource);
    return this;
  }

  /** Blocks until SIGTERM or Ctrl-C, then stops everything. */
  public void awaitShutdown() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close();
    }, "tracepipe-shutdown"));
    stopped.await();
  }

  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    // Stages close in parallel so that a stop takes as long as the slowest stage, not their sum.
    List<Thread> closing = new ArrayList<>();
    for (AutoCloseable stage : stages) {
      Thread t = new Thread(() -> closeQuietly(stage), "close-" + stage);
      t.start();
      closing.add(t);
    }
    for (Thread t : closing) {
      try {
        t.join(CLOSE_TIMEOUT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    reversed.forEach(StageRunner::closeQuietly);
    stopped.countDown();
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.error("error while stopping {}", resource, e);
    }
  }

  /** The usual main of a stage deployed on its own: {@code --config FILE} optional, environment overrides. */
  public static void runStandalone(Stage stage, String[] args) throws Exception {
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else if ("--help".equals(args[i]) || "-h".equals(args[i])) {
        System.out.println("usage: " + stage.name() + " [--config FILE]\n"
            + "Configuration: built-in defaults, then FILE (properties), then TRACEPIPE_* environment variables.");
        return;
      }
    }
    StageRunner runner = new StageRunner(TracepipeConfig.load(configFile, System.getenv()));
    runner.createTopics().start(stage);
    runner.awaitShutdown();
  }
}
