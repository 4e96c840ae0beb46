package dev.tracepipe.latency.page;

import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * tracepipe's own page: plain HTML, JavaScript and CSS from the classpath, no build step, at {@code /} and
 * {@code /page/FILE}. It reads the stage's JSON APIs from the browser.
 */
public final class PageRoutes {

  private static final String ROOT = "/dev/tracepipe/latency/page/";
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  private PageRoutes() {}

  public static void register(HttpApi http) {
    http.get("/", request -> file("index.html"));
    http.get("/page/{file}", PageRoutes::handle);
  }

  private static HttpResponse handle(HttpRequest request) throws IOException {
    return file(request.pathParam("file"));
  }

  private static HttpResponse file(String name) throws IOException {
    String type = FILES.get(name); // only the listed files: a path never reaches the classpath unchecked
    if (type == null) {
      throw new HttpException(404, "no such page file: " + name);
    }
    try (InputStream in = PageRoutes.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new HttpException(500, "page file missing from the build: " + name);
      }
      return HttpResponse.of(200, type, in.readAllBytes()).withHeader("Cache-Control", "no-cache");
    }
  }
}
