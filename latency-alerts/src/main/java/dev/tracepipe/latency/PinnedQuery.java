package dev.tracepipe.latency;

import dev.tracepipe.platform.http.HttpRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A request's query string for another instance, its end time fixed so that every instance answers for one range. */
final class PinnedQuery {

  private PinnedQuery() {}

  static String of(String internalPath, HttpRequest request, long endTs) {
    Map<String, String> params = new TreeMap<>(request.queryParams());
    params.put("endTs", Long.toString(endTs));
    return internalPath + "?" + params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
