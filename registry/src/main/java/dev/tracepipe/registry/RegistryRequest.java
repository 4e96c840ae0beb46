package dev.tracepipe.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.tracepipe.registry.SchemaRegistryService.SchemaRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One registry request: method, decoded path segments, query flags and a size-capped JSON body. */
final class RegistryRequest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ACCEPTED_CONTENT_TYPES = Set.of(RegistryHttpHandler.CONTENT_TYPE,
      "application/vnd.schemaregistry+json", "application/json", "application/octet-stream");
  /** Far above any real schema; Kafka's default record size cap (1 MiB) bounds what can be stored anyway. */
  static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private final HttpExchange exchange;
  final String method;
  final List<String> segments;
  private final Map<String, String> query;

  RegistryRequest(HttpExchange exchange) {
    this.exchange = exchange;
    this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    this.segments = segments(exchange.getRequestURI().getRawPath());
    this.query = query(exchange.getRequestURI().getRawQuery());
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(query.get(name));
  }

  SchemaRequest schemaBody() {
    JsonNode body = jsonBody();
    JsonNode schema = body.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw RegistryException.invalidSchema("the request body has no \"schema\" string");
    }
    JsonNode type = body.get("schemaType");
    JsonNode references = body.get("references");
    return new SchemaRequest(schema.asText(), type == null || type.isNull() ? null : type.asText(),
        references != null && references.isArray() && references.size() > 0);
  }

  JsonNode jsonBody() {
    checkContentType();
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      throw new RegistryException(400, 400, "could not read the request body: " + e.getMessage(), e);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new RegistryException(413, 413, "request body larger than " + MAX_BODY_BYTES + " bytes");
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new RegistryException(400, 400, "the request body is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RegistryException(400, 400, "malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new RegistryException(400, 400, "could not parse the request body: " + e.getMessage(), e);
    }
  }

  private void checkContentType() {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null) {
      return;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!base.isEmpty() && !ACCEPTED_CONTENT_TYPES.contains(base)) {
      throw new RegistryException(415, 415, "HTTP 415 Unsupported Media Type: " + contentType);
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> result = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        result.add(decode(segment));
      }
    }
    return result;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> result = new HashMap<>();
    if (rawQuery == null) {
      return result;
    }
    for (String pair : rawQuery.split("&")) {
      String[] kv = pair.split("=", 2);
      result.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
    }
    return result;
  }

  /** Percent-decoding for paths, where '+' is a plus sign and not a space. */
  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(400, 400, "malformed percent-encoding in '" + text + "'", e);
    }
  }
}
