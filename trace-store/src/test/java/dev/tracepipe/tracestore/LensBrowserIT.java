package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.testkit.BrowserScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Zipkin Lens in headless Chromium against a real pipeline tail: search a service of a real sample, open its trace
 * and see its spans, open the dependency page. Skipped without chromium, node or playwright-core, unless CI=true.
 */
class LensBrowserIT {
  static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();

  @TempDir Path state;

  @Test
  void searchOpenTraceAndDependencyPage() throws Exception {
    BrowserScript browser = new BrowserScript(BROWSER_DIR).require();
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
      String output = browser.run("lens.mjs", List.of(api.baseUrl(), "mobile-gateway", traceId,
          "extend-token-life", shots.toAbsolutePath().toString()), Duration.ofMinutes(3));
      assertThat(output).contains("ok lens-2-search", "ok lens-3-trace", "ok lens-4-dependency");
    }
  }
}
