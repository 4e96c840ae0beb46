package dev.tracepipe.platform.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One request as handlers see it: path parameters, query parameters, headers and a size-capped body. */
public final class HttpRequest {
  private final String method;
  private final String path;
  private final Map<String, String> pathParams;
  private final Map<String, String> query;
  private final Headers headers;
  private final InputStream bodyStream;
  private final String remoteAddress;
  private final long maxBodyBytes;
  private byte[] body;

  private HttpRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
      Headers headers, InputStream bodyStream, String remoteAddress, long maxBodyBytes) {
    this.method = method;
    this.path = path;
    this.pathParams = pathParams;
    this.query = query;
    this.headers = headers;
    this.bodyStream = bodyStream;
    this.remoteAddress = remoteAddress;
    this.maxBodyBytes = maxBodyBytes;
  }

  static HttpRequest from(HttpExchange exchange, Map<String, String> pathParams, long maxBodyBytes) {
    return new HttpRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), pathParams,
        parseQuery(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders(), exchange.getRequestBody(),
        String.valueOf(exchange.getRemoteAddress()), maxBodyBytes);
  }

  /** A request built directly, for handler tests. */
  public static HttpRequest of(String method, String path, Map<String, String> pathParams, Map<String, String> query,
      Map<String, String> headers, byte[] body) {
    Headers h = new Headers();
    headers.forEach(h::add);
    return new HttpRequest(method, path, Map.copyOf(pathParams), Map.copyOf(query), h,
        new java.io.ByteArrayInputStream(body), "test", Long.MAX_VALUE);
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no path parameter " + name);
    }
    return value;
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
  }

  public Map<String, String> queryParams() {
    return query;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.getFirst(name));
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  /** The raw body stream, for handlers that apply their own limit (e.g. after decompression). */
  public InputStream bodyStream() {
    return bodyStream;
  }

  /** The whole body, failing with 413 when it is larger than the server's limit. */
  public byte[] body() throws IOException {
    if (body == null) {
      byte[] read = bodyStream.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (read.length > maxBodyBytes) {
        throw new HttpException(413, "request body exceeds " + maxBodyBytes + " bytes");
      }
      body = read;
    }
    return body;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(key, value);
    }
    return params;
  }
}
