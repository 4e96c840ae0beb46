package dev.tracepipe.launcher;

import dev.tracepipe.platform.LogFile;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Format;
import dev.tracepipe.workload.SimulatedSystem;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tracepipe demo}: runs {@link Demo} and redraws its panels on the terminal until Ctrl-C or --duration. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Everything plus a simulated shop with a fault, and live panels of what tracepipe sees.",
        "Starts Kafka, a schema registry and every stage with short windows (3 s inactivity gap, 10 s latency and",
        "dependency windows), sends a simulated shop's traffic and, after --fault-after, puts it into trouble. The",
        "terminal shows, refreshed every couple of seconds: traces being assembled, the busiest dependency edges, the",
        "slowest operations and the latest latency alerts with the span they blame. Ctrl-C stops everything.", ""})
final class DemoCommand implements Callable<Integer> {
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

  @Option(names = "--fault", defaultValue = "slow-host:payment", paramLabel = "TYPE:SERVICE|none",
      description = {"slow-host, slow-release, missing-call or failing-dependency, aimed at a service",
          "(gateway, frontend, auth, catalog, cart, payment, ...); default ${DEFAULT-VALUE}"})
  String fault;
  @Option(names = "--fault-after", defaultValue = "30s", paramLabel = "D",
      description = "when the fault switches on, counted from the first trace (default ${DEFAULT-VALUE})")
  Duration faultAfter;
  @Option(names = "--rate", defaultValue = "100", paramLabel = "N",
      description = "traces per second (default ${DEFAULT-VALUE}, about 2,000 spans per second)")
  double rate;
  @Option(names = "--format", defaultValue = "otlp", paramLabel = "F",
      description = "otlp, avro, zipkin (Kafka topics) or otlp-http (the OTLP/HTTP receiver)")
  Format format;
  @Option(names = "--duration", paramLabel = "D", description = "stop after D (default: run until Ctrl-C)")
  Duration duration;
  @Option(names = "--refresh", defaultValue = "2s", paramLabel = "D",
      description = "how often the screen is redrawn (default ${DEFAULT-VALUE})")
  Duration refresh;
  @Option(names = "--plain", description = {"no screen clearing: print each refresh below the previous one",
      "(the default when the output is not a terminal)"})
  boolean plain;
  @Mixin
  LocalOptions local;

  /** The options as {@code tracepipe demo <args>} would read them; throws on a bad option or value. */
  static DemoOptions parse(String... args) {
    CommandLine commandLine = Tracepipe.withConverters(new CommandLine(new DemoCommand()));
    commandLine.parseArgs(args);
    return ((DemoCommand) commandLine.getCommand()).options();
  }

  DemoOptions options() {
    Fault chosen = "none".equals(fault) ? null : Fault.parse(fault);
    if (chosen != null) {
      new SimulatedSystem(0).checkTarget(chosen);
    }
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be positive: " + rate);
    }
    return new DemoOptions(local, chosen, faultAfter, rate, format,
        duration == null || duration.isZero() ? null : duration, refresh, plain);
  }

  @Override
  public Integer call() throws Exception {
    DemoOptions options = options();
    PrintStream out = System.out;
    boolean redraw = !options.plain() && System.console() != null;
    Path log = Files.createTempFile("tracepipe-demo-", ".log");
    LogFile.redirectTo(log);
    out.println("tracepipe demo: starting Kafka, the schema registry and every stage (log: " + log + ")");
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    // Ctrl-C ends the loop; the JVM then waits until the pipeline has stopped cleanly.
    Thread onSignal = new Thread(() -> {
      stop.countDown();
      awaitQuietly(finished);
    }, "tracepipe-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try (Demo demo = Demo.start(options, Map.of())) {
      long deadline = options.duration() == null ? Long.MAX_VALUE : System.nanoTime() + options.duration().toNanos();
      long next = System.nanoTime();
      do {
        String screen = "Traces in Zipkin Lens: " + demo.uiUrl() + "\n" + DemoScreen.render(demo.snapshot());
        out.print(redraw ? DemoScreen.CLEAR + screen : screen + "\n");
        out.flush();
        next += options.refresh().toNanos();
      } while (!stop.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)
          && System.nanoTime() < deadline);
      out.println("tracepipe demo: stopping...");
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running because of Ctrl-C; it returns now that everything has stopped.
      }
    }
    out.println("tracepipe demo: stopped (log: " + log + ")");
    return 0;
  }

  private static void awaitQuietly(CountDownLatch finished) {
    try {
      finished.await(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
