package dev.tracepipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tracepipe.avro.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's HTTP behaviour (credentials, caching, error codes) against a small real server. */
class HttpSchemaRegistryClientTest {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      String path = exchange.getRequestURI().getPath();
      int status;
      String body;
      if (path.equals("/subjects/spans-value/versions")) {
        status = 200;
        body = "{\"id\":7}";
      } else if (path.equals("/schemas/ids/7")) {
        status = 200;
        body = "{\"schema\":" + quote(Span.getClassSchema().toString()) + "}";
      } else {
        status = 404;
        body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void sendsBasicCredentialsAndCachesWhatItLearned() {
    SchemaRegistryClient client = SchemaRegistryClients.fromConfig(Map.of(
        SchemaRegistryClients.URL, "http://127.0.0.1:" + server.getAddress().getPort(),
        SchemaRegistryClients.BASIC_AUTH_USER_INFO, "user:secret"));

    assertThat(client.register("spans-value", Span.getClassSchema())).isEqualTo(7);
    assertThat(client.register("spans-value", Span.getClassSchema())).isEqualTo(7);
    assertThat(client.schemaById(7)).isEqualTo(Span.getClassSchema());

    assertThat(requests).containsExactly("POST /subjects/spans-value/versions");
    assertThat(authorizations).containsOnly("Basic dXNlcjpzZWNyZXQ=");
  }

  @Test
  void triesTheNextUrlWhenOneIsDownAndReportsTheRegistrysErrorCode() {
    SchemaRegistryClient client = SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL,
        "http://127.0.0.1:1, http://127.0.0.1:" + server.getAddress().getPort()));

    assertThat(client.schemaById(7)).isEqualTo(Span.getClassSchema());
    assertThatThrownBy(() -> client.schemaById(8))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.errorCode()).isEqualTo(40403);
        });
  }

  @Test
  void aUrlNeitherHttpNorServedByAProviderIsRefusedAtOnce() {
    assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL, "ftp://registry")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://registry");
  }

  @Test
  void aMockUrlIsServedByTheInMemoryRegistryOfTheTestJar() {
    SchemaRegistryClient client = SchemaRegistryClients.fromConfig(Map.of(SchemaRegistryClients.URL, "mock://provider"));
    assertThat(client).isSameAs(InMemorySchemaRegistryClient.scope("provider"));
  }

  private static String quote(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
