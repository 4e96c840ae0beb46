package dev.tracepipe.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code tracepipe demo}: runs {@link Demo} and redraws its panels on the terminal until Ctrl-C or --duration. */
final class DemoCommand {
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

  private DemoCommand() {}

  static int main(String[] argv) throws Exception {
    if (Args.wantsHelp(argv)) {
      System.out.print(DemoOptions.HELP);
      return 0;
    }
    DemoOptions options = DemoOptions.parse(argv);
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
