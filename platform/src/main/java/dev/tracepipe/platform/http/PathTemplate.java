package dev.tracepipe.platform.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A path with {@code {name}} segments that match any one segment. */
record PathTemplate(List<String> segments) {

  static PathTemplate parse(String template) {
    return new PathTemplate(split(template));
  }

  /** The parameters when the path matches, else null. */
  Map<String, String> match(String rawPath) {
    List<String> parts = split(rawPath);
    if (parts.size() != segments.size()) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      String expected = segments.get(i);
      String actual = URLDecoder.decode(parts.get(i).replace("+", "%2B"), StandardCharsets.UTF_8);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        params.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return null;
      }
    }
    return params;
  }

  private static List<String> split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
  }
}
