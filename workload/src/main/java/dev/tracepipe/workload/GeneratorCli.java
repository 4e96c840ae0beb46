package dev.tracepipe.workload;

import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.TopicCreator;
import dev.tracepipe.platform.TracepipeConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code tracepipe generate}: sends simulated traffic in one format until a time or trace limit. */
public final class GeneratorCli {
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

  private GeneratorCli() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command and returns its exit code: 0 when every span was delivered, 1 when some were lost or the run
   * failed, 2 for a bad command line.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    GeneratorOptions options;
    try {
      options = GeneratorOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("generate: " + e.getMessage());
      err.println(GeneratorOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(GeneratorOptions.USAGE);
      return 0;
    }
    try {
      SimulatedSystem shop = new SimulatedSystem(0);
      options.faults().forEach(shop::checkTarget);
    } catch (IllegalArgumentException e) {
      err.println("generate: " + e.getMessage());
      return 2;
    }
    StageRunner.trustAvroPackages();
    CountDownLatch finished = new CountDownLatch(1);
    try (SpanSink sink = sink(options, config(options))) {
      Generator generator = generator(options, sink, out);
      out.printf("generating %s to %s%s%n", options.format().cliName(), sink,
          options.faults().isEmpty() ? "" : ", faults " + options.faults() + " after " + options.faultAfter());
      // Ctrl-C stops the workers; the JVM then waits for the summary and the flushed sink before it exits.
      Thread stopOnSignal = new Thread(() -> {
        generator.stop();
        awaitQuietly(finished);
      }, "tracepipe-generator-shutdown");
      Runtime.getRuntime().addShutdownHook(stopOnSignal);
      try {
        Generator.Summary summary = generator.run();
        out.printf("sent %,d traces, %,d spans (%,.0f spans/s, %,.0f traces/s) in %.1fs; %,d error spans; %,d spans"
                + " lost%n", summary.traces(), summary.spans(), summary.spansPerSecond(), summary.tracesPerSecond(),
            summary.elapsed().toMillis() / 1000.0, summary.errorSpans(), summary.failedSpans());
        return summary.failedSpans() == 0 ? 0 : 1;
      } finally {
        removeHook(stopOnSignal);
      }
    } catch (RuntimeException e) {
      err.println("generate failed: " + e.getMessage());
      e.printStackTrace(err);
      return 1;
    } finally {
      finished.countDown();
    }
  }

  private static TracepipeConfig config(GeneratorOptions options) {
    Map<String, String> overrides = new HashMap<>();
    if (options.bootstrapServers() != null) {
      overrides.put(TracepipeConfig.BOOTSTRAP_SERVERS, options.bootstrapServers());
    }
    if (options.schemaRegistryUrl() != null) {
      overrides.put(TracepipeConfig.SCHEMA_REGISTRY_URL, options.schemaRegistryUrl());
    }
    return TracepipeConfig.load(options.config(), System.getenv()).with(overrides);
  }

  static SpanSink sink(GeneratorOptions options, TracepipeConfig config) {
    return SpanSinks.batched(unbatchedSink(options, config), options.batching());
  }

  private static SpanSink unbatchedSink(GeneratorOptions options, TracepipeConfig config) {
    if (options.dryRun()) {
      return SpanSinks.encodeOnly(options.format(), config.serdeConfig());
    }
    if (options.format() == Format.OTLP_HTTP) {
      return SpanSinks.otlpHttp(options.otlpUrl());
    }
    TopicCreator.createMissing(config, List.of(options.format().topic()));
    // The security settings ride along as producer overrides.
    return SpanSinks.kafka(options.format(), config.string(TracepipeConfig.BOOTSTRAP_SERVERS), config.serdeConfig(),
        config.kafkaClientProperties());
  }

  private static Generator generator(GeneratorOptions options, SpanSink sink, PrintStream out) {
    GeneratorBuilder builder = Generator.builder(sink)
        .threads(options.threads())
        .duration(options.duration())
        .maxTraces(options.maxTraces())
        .progress(options.quiet() ? null : out);
    if (options.ratePerSpan()) {
      builder.spansPerSecond(options.rate());
    } else {
      builder.tracesPerSecond(options.rate());
    }
    if (options.seed() != null) {
      builder.seed(options.seed());
    }
    options.faults().forEach(fault -> builder.faultAfter(fault, options.faultAfter()));
    return builder.build();
  }

  private static void awaitQuietly(CountDownLatch finished) {
    try {
      if (!finished.await(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        System.err.println("generate: still flushing after " + SHUTDOWN_WAIT + ", exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook is running: nothing to remove.
    }
  }
}
