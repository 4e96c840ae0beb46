package dev.tracepipe.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (register, look up, get by id) with caches, so each schema costs
 * one call per process; tries every configured URL in turn, as Confluent's client does.
 */
final class HttpSchemaRegistryClient implements SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final HttpClient http;
  private final String authorization;
  private final Duration timeout;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

  HttpSchemaRegistryClient(List<URI> baseUrls, String basicAuthUserInfo, SSLContext sslContext, Duration timeout) {
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("schema registry url is empty");
    }
    this.baseUrls = List.copyOf(baseUrls);
    this.timeout = Objects.requireNonNull(timeout, "timeout == null");
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    this.http = builder.build();
    this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isEmpty()
        ? null
        : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> known = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = known.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = answer.path("id").asInt();
    known.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public int idOf(String subject, Schema schema) {
    Map<Schema, Integer> known = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = known.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = post("/subjects/" + encode(subject), schemaBody(schema));
    int id = answer.path("id").asInt();
    known.put(schema, id);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send(HttpRequest.newBuilder().GET(), "/schemas/ids/" + id);
    String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException("schema " + id + " is " + type + ", not AVRO", 200, -1);
    }
    Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  private static String schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private JsonNode post(String path, String body) {
    return send(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", CONTENT_TYPE), path);
  }

  private JsonNode send(HttpRequest.Builder request, String path) {
    SchemaRegistryException last = null;
    for (URI base : baseUrls) {
      request.uri(base.resolve(stripSlash(base.getPath()) + path)).timeout(timeout).header("Accept", CONTENT_TYPE);
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        if (response.statusCode() / 100 == 2) {
          return json;
        }
        // A 4xx is the registry's verdict; another URL would say the same.
        SchemaRegistryException error = new SchemaRegistryException(
            json.path("message").asText(response.body()), response.statusCode(), json.path("error_code").asInt(-1));
        if (response.statusCode() < 500) {
          throw error;
        }
        last = error;
      } catch (IOException e) {
        last = new SchemaRegistryException("schema registry " + base + " unreachable: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted calling schema registry", e);
      }
    }
    throw last;
  }

  private static String stripSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
