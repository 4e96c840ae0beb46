package dev.tracepipe.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A node script driving Debian's headless Chromium with playwright-core from the one npm package of the browser tests
 * (trace-store/src/test/browser, installed by {@code .ci/run}).
 */
public final class BrowserScript {
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  private final Path directory;

  /** @param directory the npm package's directory, holding the scripts and their node_modules */
  public BrowserScript(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** Locally a missing browser skips the test; in CI (CI=true) it is an error, as .ci/run installs them. */
  public BrowserScript require() throws InterruptedException {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) missing.add("chromium (" + CHROMIUM + ")");
    if (!Files.isDirectory(directory.resolve("node_modules/playwright-core"))) {
      missing.add("playwright-core (npm ci in " + directory + ")");
    }
    if (!nodeRuns()) missing.add("node");
    if (missing.isEmpty()) return this;
    String reason = "browser test needs " + String.join(", ", missing);
    if ("true".equals(System.getenv("CI"))) throw new AssertionError(reason);
    Assumptions.abort(reason);
    return this;
  }

  /** Runs {@code node SCRIPT ARGS...} in the package's directory; its output, or an error when it fails or hangs. */
  public String run(String script, List<String> args, Duration timeout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", directory.resolve(script).toString()));
    command.addAll(args);
    Process node = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    // Read while it runs: a full pipe would block the script.
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        output.append(new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.append("(output unreadable: ").append(e).append(')');
      }
    });
    reader.start();
    boolean finished = node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) node.destroyForcibly().waitFor();
    reader.join(TimeUnit.SECONDS.toMillis(10));
    if (!finished) throw new AssertionError(script + " did not finish in " + timeout + "; output:\n" + output);
    if (node.exitValue() != 0) throw new AssertionError(script + " failed; output:\n" + output);
    return output.toString();
  }

  private static boolean nodeRuns() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
