package dev.tracepipe.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Asks the stages' HTTP API what the demo's dependency and latency panels show. */
final class DemoQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** One dependency edge over the lookback: calls, errors and the call latency's p99. */
  record Edge(String parent, String child, String type, long calls, long errors, long p99Nanos) {}

  /** One server operation in its latest window. */
  record OperationLatency(String service, String operation, long count, long p50Nanos, long p99Nanos,
      long windowEndMillis) {}

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String baseUrl;

  DemoQueries(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The busiest edges of the last {@code lookback}, most calls first. */
  List<Edge> topEdges(Duration lookback, int limit) throws IOException, InterruptedException {
    JsonNode edges = get("/api/dependencies?endTs=" + System.currentTimeMillis() + "&lookback=" + lookback.toMillis());
    List<Edge> result = new ArrayList<>();
    for (JsonNode edge : edges) {
      JsonNode latency = edge.path("latency");
      result.add(new Edge(edge.path("parent").asText(), edge.path("child").asText(),
          edge.path("connectionType").asText(), edge.path("callCount").asLong(), edge.path("errorCount").asLong(),
          latency.path("p99Nanos").asLong()));
    }
    result.sort(Comparator.comparingLong(Edge::calls).reversed().thenComparing(Edge::parent));
    return result.subList(0, Math.min(limit, result.size()));
  }

  /**
   * The operations with the highest p99 in their latest window that ended by now (the window still filling when
   * none has), slowest first. Operations without data in the lookback are left out. The operations are asked about
   * all at once, so that a refresh takes one round trip rather than one per operation.
   */
  List<OperationLatency> slowestOperations(Collection<DemoFeed.Operation> operations, Duration lookback, int limit)
      throws IOException, InterruptedException {
    long now = System.currentTimeMillis();
    Map<DemoFeed.Operation, CompletableFuture<HttpResponse<byte[]>>> answers = new LinkedHashMap<>();
    for (DemoFeed.Operation op : operations) {
      answers.put(op, client.sendAsync(request("/api/latency?service=" + enc(op.service()) + "&operation="
          + enc(op.name()) + "&kind=SERVER&endTs=" + now + "&lookback=" + lookback.toSeconds() + "s"),
          HttpResponse.BodyHandlers.ofByteArray()));
    }
    List<OperationLatency> result = new ArrayList<>();
    for (var answer : answers.entrySet()) {
      JsonNode chosen = latestWindow(body(await(answer.getValue())).path("points"), now);
      if (chosen != null) {
        DemoFeed.Operation op = answer.getKey();
        result.add(new OperationLatency(op.service(), op.name(), chosen.path("count").asLong(),
            chosen.path("p50Nanos").asLong(), chosen.path("p99Nanos").asLong(),
            chosen.path("windowEndMillis").asLong()));
      }
    }
    result.sort(Comparator.comparingLong(OperationLatency::p99Nanos).reversed());
    return result.subList(0, Math.min(limit, result.size()));
  }

  /** The latest window with data that has ended, else the latest with data; null when none has data. */
  private static JsonNode latestWindow(JsonNode points, long now) {
    JsonNode ended = null;
    JsonNode filling = null;
    for (JsonNode point : points) {
      long end = point.path("windowEndMillis").asLong();
      if (point.path("count").asLong() <= 0) {
        continue;
      }
      if (end <= now && (ended == null || end > ended.path("windowEndMillis").asLong())) {
        ended = point;
      } else if (end > now && (filling == null || end > filling.path("windowEndMillis").asLong())) {
        filling = point;
      }
    }
    return ended != null ? ended : filling;
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    return body(client.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofByteArray()));
  }

  private HttpRequest request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(TIMEOUT).GET().build();
  }

  private static HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> answer)
      throws IOException, InterruptedException {
    try {
      return answer.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  private static JsonNode body(HttpResponse<byte[]> response) throws IOException {
    if (response.statusCode() != 200) {
      throw new IOException(response.request().uri().getPath() + " answered " + response.statusCode() + ": "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(response.body());
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
