package dev.tracepipe.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response: status, content type, extra headers and body. */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
  public static final String JSON_TYPE = "application/json";

  public HttpResponse {
    headers = Map.copyOf(headers);
  }

  public static HttpResponse of(int status, String contentType, byte[] body) {
    return new HttpResponse(status, contentType, Map.of(), body);
  }

  public static HttpResponse text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON body made from any Jackson-serialisable value. */
  public static HttpResponse json(int status, Object value) {
    try {
      return of(status, JSON_TYPE, HttpApi.JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot render JSON response: " + e.getMessage(), e);
    }
  }

  /** A JSON error body {"error": reason} with the status. */
  public static HttpResponse error(int status, String reason) {
    return json(status, Map.of("error", reason == null ? "" : reason));
  }

  public HttpResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpResponse(status, contentType, more, body);
  }
}
