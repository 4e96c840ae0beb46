package dev.tracepipe.tracestore;

import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves Zipkin Lens from the {@code io.zipkin:zipkin-lens} jar at {@code /zipkin/}, as zipkin-server does: its
 * {@code config.json}, its static files, and {@code index.html} for every route of the single-page app.
 */
final class LensUi {
  static final String BASE = "/zipkin";
  private static final String RESOURCES = "zipkin-lens";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "png", "image/png", "ico", "image/x-icon", "svg", "image/svg+xml", "json", "application/json",
      "map", "application/json", "woff2", "font/woff2");

  private final byte[] index;
  private final byte[] config;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String dependenciesUrl;

  /** @param dependenciesUrl where the dependency graph API answers; empty for this same server */
  LensUi(String dependenciesUrl) {
    this.dependenciesUrl = dependenciesUrl;
    this.index = resource("index.html");
    if (index == null) throw new IllegalStateException("zipkin-lens/index.html is not on the classpath");
    this.config = config();
  }

  /** Registered after the API, so that {@code /zipkin/api/v2/*} routes match before the single-page fallback. */
  void register(HttpApi http) {
    // The dependency graph stage answers /api/v2/dependencies; Lens asks for it under its base path.
    http.get(BASE + "/api/v2/dependencies", request -> dependencies(http, request));
    http.get(BASE + "/config.json", request -> HttpResponse.of(200, HttpResponse.JSON_TYPE, config)
        .withHeader("Cache-Control", "max-age=600"));
    http.get(BASE, request -> indexPage());
    http.get(BASE + "/{a}", this::file);
    http.get(BASE + "/{a}/{b}", this::file);
    http.get(BASE + "/{a}/{b}/{c}", this::file);
  }

  /** A path whose last segment has a dot is a file (404 when missing); anything else is a route of the app. */
  private HttpResponse file(HttpRequest request) {
    String path = request.path().substring(BASE.length() + 1);
    String last = path.substring(path.lastIndexOf('/') + 1);
    int dot = last.lastIndexOf('.');
    if (dot < 0) return indexPage();
    if (path.contains("..")) throw new HttpException(400, "bad path " + path);
    byte[] body = resource(path);
    if (body == null) throw new HttpException(404, "no such file: " + request.path());
    String type = TYPES.getOrDefault(last.substring(dot + 1), "application/octet-stream");
    // File names under static/ carry a content hash, so they never change.
    String cache = path.startsWith("static/") ? "max-age=31536000" : "max-age=600";
    return HttpResponse.of(200, type, body).withHeader("Cache-Control", cache);
  }

  private HttpResponse indexPage() {
    return HttpResponse.of(200, TYPES.get("html"), index).withHeader("Cache-Control", "max-age=60");
  }

  private HttpResponse dependencies(HttpApi http, HttpRequest request) throws IOException, InterruptedException {
    String query = request.queryParams().entrySet().stream()
        .map(e -> ZipkinQueryApi.encode(e.getKey()) + "=" + ZipkinQueryApi.encode(e.getValue()))
        .reduce((a, b) -> a + "&" + b).map(q -> "?" + q).orElse("");
    URI uri = URI.create((dependenciesUrl.isEmpty() ? http.baseUrl() : dependenciesUrl) + "/api/v2/dependencies" + query);
    var response = client.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        BodyHandlers.ofByteArray());
    return HttpResponse.of(response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(HttpResponse.JSON_TYPE), response.body());
  }

  /** The fields and defaults of zipkin-server's config.json. */
  static byte[] config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("environment", "");
    config.put("queryLimit", ZipkinQueryApi.DEFAULT_LIMIT);
    config.put("defaultLookback", Duration.ofMinutes(15).toMillis());
    config.put("searchEnabled", true);
    config.put("logsUrl", null);
    config.put("supportUrl", null);
    config.put("archivePostUrl", null);
    config.put("archiveUrl", null);
    Map<String, Object> dependency = new LinkedHashMap<>();
    dependency.put("enabled", true);
    dependency.put("lowErrorRate", 0.5);
    dependency.put("highErrorRate", 0.75);
    config.put("dependency", dependency);
    try {
      return HttpApi.JSON.writeValueAsBytes(config);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] resource(String path) {
    try (InputStream in = LensUi.class.getClassLoader().getResourceAsStream(RESOURCES + "/" + path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCES + "/" + path, e);
    }
  }
}
