package dev.tracepipe.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read timeout on a running server, with raw sockets that send part of a request and then nothing: each is cut off
 * once the configured time has passed, while a whole request is answered. An integration test so that it runs in a JVM
 * of its own: the JDK server reads the timeout once per process, when its first server starts.
 */
class HttpReadTimeoutIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** The JDK server checks open requests once a second. */
  private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
  private static HttpApi api;

  @BeforeAll
  static void start() {
    api = HttpApi.start("read-timeout", "127.0.0.1", 0, HttpSettings.DEFAULTS.withReadTimeout(TIMEOUT));
    api.post("/echo", r -> HttpResponse.text(200, new String(r.body(), StandardCharsets.UTF_8)));
    assertThat(HttpApi.processReadTimeout()).as("the first server of the process sets the timeout")
        .isEqualTo(TIMEOUT);
  }

  @AfterAll
  static void stop() {
    if (api != null) api.close();
  }

  @Test
  void aClientThatStopsInTheMiddleOfTheBodyIsCutOffAfterTheReadTimeout() throws Exception {
    assertCutOff("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly part of the body");
  }

  @Test
  void aClientThatStopsInTheMiddleOfTheHeadersIsCutOffAfterTheReadTimeout() throws Exception {
    assertCutOff("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Le");
  }

  @Test
  void aWholeRequestIsAnswered() throws Exception {
    var response = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        URI.create(api.baseUrl() + "/echo")).POST(BodyPublishers.ofString("whole")).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("whole");
  }

  private static void assertCutOff(String partialRequest) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      // Far beyond the timeout: a server without one leaves this read waiting until it fails the test.
      socket.setSoTimeout((int) TIMEOUT.multipliedBy(10).toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(partialRequest.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      InputStream in = socket.getInputStream();
      String answer;
      try {
        answer = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
      } catch (SocketException reset) {
        answer = "reset: " + reset.getMessage();
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answer).as("closed, not answered").doesNotContain("HTTP/1.1 200");
      assertThat(waited).isBetween(TIMEOUT.minus(CHECK_INTERVAL), TIMEOUT.plus(CHECK_INTERVAL.multipliedBy(3)));
    }
  }
}
