package dev.tracepipe.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {
  private HttpApi api;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    api = HttpApi.start("test", "127.0.0.1", 0, 2, 16);
    api.get("/subjects/{subject}/versions/{version}", r ->
        HttpResponse.text(200, r.pathParam("subject") + "@" + r.pathParam("version") + "?" + r.query("x").orElse("")));
    api.post("/echo", r -> HttpResponse.of(200, "application/octet-stream", r.body()));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void routesPathTemplatesAndQueries() throws Exception {
    var response = client.send(request("/subjects/spans-value/versions/latest?x=1").GET().build(),
        BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("spans-value@latest?1");
  }

  @Test
  void answersUnknownPathsWrongMethodsAndLargeBodiesWithReasons() throws Exception {
    assertThat(client.send(request("/nope").GET().build(), BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    var wrongMethod = client.send(request("/echo").GET().build(), BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
    var tooLarge = client.send(request("/echo").POST(BodyPublishers.ofString("x".repeat(17))).build(),
        BodyHandlers.ofString());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("exceeds 16 bytes");
    var ok = client.send(request("/echo").POST(BodyPublishers.ofString("hello")).build(), BodyHandlers.ofString());
    assertThat(ok.body()).isEqualTo("hello");
  }

  private java.net.http.HttpRequest.Builder request(String path) {
    return java.net.http.HttpRequest.newBuilder(URI.create(api.baseUrl() + path));
  }
}
