package dev.tracepipe.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.testkit.SelfSignedKeyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, authentication, load shedding and the drain, each against a running server and the JDK's HTTP client. */
class HttpServerHardeningTest {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpApi api;

  @AfterEach
  void stop() {
    release.countDown();
    if (api != null) api.close();
  }

  private HttpApi start(HttpSettings settings) {
    api = HttpApi.start("hardening", "127.0.0.1", 0, settings);
    api.get("/hello", r -> HttpResponse.text(200, "hello"));
    api.get("/health", r -> HttpResponse.text(200, "UP"));
    api.post("/slow", r -> {
      entered.countDown();
      if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
      return HttpResponse.text(200, new String(r.body(), StandardCharsets.UTF_8));
    });
    return api;
  }

  @Test
  void tlsServesHttpsWithTheKeyStoreAndPeersTrustIt(@TempDir Path dir) throws Exception {
    SelfSignedKeyStore store = SelfSignedKeyStore.create(dir);
    start(HttpSettings.DEFAULTS.withTls(store.path(), store.password()));
    assertThat(api.baseUrl()).startsWith("https://");
    var response = api.peers().client().send(api.peers().request("localhost", api.port(), "/hello").GET().build(),
        BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello");
    assertThatThrownBy(() -> client.send(java.net.http.HttpRequest.newBuilder(
        URI.create("https://localhost:" + api.port() + "/hello")).build(), BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void withAuthConfiguredRequestsWithoutCredentialsAre401AndWithThemPass() throws Exception {
    start(HttpSettings.DEFAULTS.withAuth(List.of("s3cret"), Map.of("collector", "pw")));
    var anonymous = client.send(request("/hello").build(), BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> v.contains("Bearer"));
    assertThat(anonymous.body()).contains("authentication required");
    assertThat(status(request("/hello").header("Authorization", "Bearer wrong"))).isEqualTo(401);
    assertThat(status(request("/hello").header("Authorization", "Bearer s3cret"))).isEqualTo(200);
    assertThat(status(request("/hello").header("Authorization", basic("collector:pw")))).isEqualTo(200);
    assertThat(status(request("/hello").header("Authorization", basic("collector:nope")))).isEqualTo(401);
    assertThat(status(request("/health"))).as("probes need no credentials").isEqualTo(200);
    assertThat(api.unauthorizedCount()).isEqualTo(3);
    var peer = api.peers().client().send(api.peers().request("127.0.0.1", api.port(), "/hello").build(),
        BodyHandlers.ofString());
    assertThat(peer.statusCode()).as("instances send their own credential").isEqualTo(200);
  }

  @Test
  void whenEveryThreadAndQueueSlotIsTakenTheNextRequestIs503WithRetryAfter() throws Exception {
    start(HttpSettings.DEFAULTS.withThreads(1).withQueue(1));
    CompletableFuture<java.net.http.HttpResponse<String>> running = client.sendAsync(
        request("/slow").POST(BodyPublishers.ofString("first")).build(), BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<java.net.http.HttpResponse<String>> queued = client.sendAsync(
        request("/slow").POST(BodyPublishers.ofString("second")).build(), BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> api.inFlight() == 2);
    var shed = client.send(request("/hello").build(), BodyHandlers.ofString());
    assertThat(shed.statusCode()).isEqualTo(503);
    assertThat(shed.headers().firstValue("Retry-After")).contains("5");
    assertThat(api.shedCount()).isEqualTo(1);
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS).body()).isEqualTo("first");
    assertThat(queued.get(10, TimeUnit.SECONDS).body()).isEqualTo("second");
  }

  @Test
  void closeFinishesRequestsInFlightAndRefusesNewOnesWith503() throws Exception {
    start(HttpSettings.DEFAULTS);
    CompletableFuture<java.net.http.HttpResponse<String>> inFlight = client.sendAsync(
        request("/slow").POST(BodyPublishers.ofString("taken")).build(), BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    HttpApi closing = api;
    Thread closer = new Thread(closing::close, "closer");
    closer.start();
    await().atMost(Duration.ofSeconds(10)).until(closing::draining);
    var refused = HttpClient.newHttpClient().send(request("/hello").build(), BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("shutting down");
    assertThat(closer.isAlive()).as("close waits for the request in flight").isTrue();
    release.countDown();
    var answered = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.body()).isEqualTo("taken");
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    api = null;
  }

  private int status(java.net.http.HttpRequest.Builder builder) throws Exception {
    return client.send(builder.build(), BodyHandlers.discarding()).statusCode();
  }

  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  private java.net.http.HttpRequest.Builder request(String path) {
    return java.net.http.HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(20));
  }
}
