package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.platform.http.HttpApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Zipkin Lens in headless Chromium against a real pipeline tail: search a service of a real sample, open its trace
 * and see its spans, open the dependency page. Skipped without chromium, node or playwright-core, unless CI=true.
 */
class LensBrowserIT {
  static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  @TempDir Path state;

  @Test
  void searchOpenTraceAndDependencyPage() throws Exception {
    requireBrowser();
    try (TraceStoreCluster cluster = new TraceStoreCluster()) {
      HttpApi api = cluster.start(state, Map.of(), new TraceStoreStage(), new DependencyGraphStage());
      long now = System.currentTimeMillis();
      String id = Samples.randomTraceId();
      List<zipkin2.Span> sample = Samples.retimed(Samples.zipkin("ascend.json"), (now - 10_000) * 1000, id);
      cluster.send(Samples.trace(sample, 1), now);
      String traceId = sample.get(0).traceId();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(SpanBytesDecoder.JSON_V2.decodeList(TraceStoreCluster.ok(api, "/api/v2/trace/" + traceId)))
            .isNotEmpty();
        assertThat(HttpApi.JSON.readTree(TraceStoreCluster.ok(api, "/zipkin/api/v2/dependencies?endTs="
            + (now + 60_000) + "&lookback=3600000"))).isNotEmpty();
      });

      Path shots = Path.of(System.getenv().getOrDefault("LENS_SCREENSHOTS", "target/lens-screenshots"));
      List<String> command = new ArrayList<>(List.of("node", BROWSER_DIR.resolve("lens.mjs").toString(),
          api.baseUrl(), "mobile-gateway", traceId, "extend-token-life", shots.toAbsolutePath().toString()));
      Process node = new ProcessBuilder(command).directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
      boolean finished = node.waitFor(3, TimeUnit.MINUTES);
      String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!finished) node.destroyForcibly();
      assertThat(finished).as("browser run finished; output:%n%s", output).isTrue();
      assertThat(node.exitValue()).as("browser run output:%n%s", output).isZero();
      assertThat(output).contains("ok lens-2-search", "ok lens-3-trace", "ok lens-4-dependency");
    }
  }

  /** Locally a missing browser skips the test; in CI (CI=true) it is an error, as .ci/run installs them. */
  static void requireBrowser() throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) missing.add("chromium (" + CHROMIUM + ")");
    if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
      missing.add("playwright-core (npm ci in " + BROWSER_DIR + ")");
    }
    if (!nodeRuns()) missing.add("node");
    if (missing.isEmpty()) return;
    String reason = "browser test needs " + String.join(", ", missing);
    if ("true".equals(System.getenv("CI"))) throw new AssertionError(reason);
    Assumptions.abort(reason);
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
