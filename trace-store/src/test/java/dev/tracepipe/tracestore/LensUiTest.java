package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lens is served as zipkin-server serves it: config.json, its files, and index.html for its own routes. */
class LensUiTest {
  final HttpClient client = HttpClient.newHttpClient();
  HttpApi http;

  @BeforeEach
  void start() {
    http = HttpApi.start("lens-test", "localhost", 0, 2, 1 << 16);
    http.get("/api/v2/dependencies", request -> HttpResponse.json(200, java.util.List.of(
        java.util.Map.of("parent", "a", "child", "b", "callCount", 1))));
    new LensUi("").register(http);
  }

  @AfterEach
  void stop() {
    http.close();
  }

  @Test
  void singlePageRoutesAnswerWithIndexHtml() throws Exception {
    for (String path : new String[] {"/zipkin/", "/zipkin", "/zipkin/traces/463ac35c9f6413ad", "/zipkin/dependency",
        "/zipkin/traceViewer"}) {
      var response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("<base href=\"/zipkin/\"");
    }
  }

  @Test
  void configJsonHasZipkinServersFields() throws Exception {
    var config = HttpApi.JSON.readTree(get("/zipkin/config.json").body());
    assertThat(config.get("searchEnabled").asBoolean()).isTrue();
    assertThat(config.get("queryLimit").asInt()).isEqualTo(10);
    assertThat(config.get("defaultLookback").asLong()).isEqualTo(900_000);
    assertThat(config.get("dependency").get("enabled").asBoolean()).isTrue();
    assertThat(config.has("logsUrl")).isTrue();
  }

  @Test
  void filesAreServedWithTheirTypeAndMissingFilesAre404() throws Exception {
    String index = new String(get("/zipkin/").body(), StandardCharsets.UTF_8);
    String script = index.replaceAll("(?s).*src=\"(/zipkin/static/js/[^\"]+)\".*", "$1");
    var js = get(script);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    assertThat(js.headers().firstValue("Cache-Control")).hasValue("max-age=31536000");
    assertThat(get("/zipkin/favicon.ico").statusCode()).isEqualTo(200);
    assertThat(get("/zipkin/static/js/missing.js").statusCode()).isEqualTo(404);
  }

  @Test
  void dependenciesUnderTheLensBasePathComeFromTheDependencyApi() throws Exception {
    var response = get("/zipkin/api/v2/dependencies?endTs=1&lookback=1");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(HttpApi.JSON.readTree(response.body()).get(0).get("child").asText()).isEqualTo("b");
  }

  private java.net.http.HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).GET().build(),
        BodyHandlers.ofByteArray());
  }
}
