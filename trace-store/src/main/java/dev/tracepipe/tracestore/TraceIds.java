package dev.tracepipe.tracestore;

import dev.tracepipe.platform.http.HttpException;
import java.util.Locale;

/** Trace ids as the store keys them: 32 lower-case hex digits, a 64-bit id left-padded with zeros. */
final class TraceIds {
  private TraceIds() {}

  static String normalize(String id) {
    String hex = id.trim().toLowerCase(Locale.ROOT);
    if (hex.isEmpty() || hex.length() > 32) {
      throw new HttpException(400, "a trace id has 1 to 32 hex digits: " + id);
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) throw new HttpException(400, "not a hex trace id: " + id);
    }
    return "0".repeat(32 - hex.length()) + hex;
  }
}
