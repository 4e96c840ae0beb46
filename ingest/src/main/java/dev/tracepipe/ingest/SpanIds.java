package dev.tracepipe.ingest;

import java.util.Locale;

/** Normalises trace and span ids to the canonical lower-case hex form: 32 characters for traces, 16 for spans. */
final class SpanIds {
  static final int TRACE_ID_HEX_LENGTH = 32;
  static final int SPAN_ID_HEX_LENGTH = 16;
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final String SIXTEEN_ZEROS = "0000000000000000";

  private SpanIds() {}

  /**
   * Returns the canonical trace id, or null when the id is not 16 or 32 hex characters or is all zeros.
   * 64-bit ids (Zipkin, B3) are left-padded with zeros to 128 bits, as the Span contract requires.
   */
  static String traceId(String id) {
    if (id == null) return null;
    String lower = id.toLowerCase(Locale.ROOT);
    if (lower.length() == SPAN_ID_HEX_LENGTH) lower = SIXTEEN_ZEROS + lower;
    return isNonZeroHex(lower, TRACE_ID_HEX_LENGTH) ? lower : null;
  }

  /** Returns the canonical span id, or null when the id is not 16 hex characters or is all zeros. */
  static String spanId(String id) {
    if (id == null) return null;
    String lower = id.toLowerCase(Locale.ROOT);
    return isNonZeroHex(lower, SPAN_ID_HEX_LENGTH) ? lower : null;
  }

  /** True for an absent parent: null, empty or all zeros all mean "root span" in the formats we read. */
  static boolean isAbsent(String id) {
    if (id == null || id.isEmpty()) return true;
    for (int i = 0; i < id.length(); i++) {
      if (id.charAt(i) != '0') return false;
    }
    return true;
  }

  /** Lower-case hex of the bytes; an empty array gives an empty string, which no validator accepts as an id. */
  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Bytes of an even-length hex string of either case, or null when it is not hex. */
  static byte[] fromHex(String hex) {
    if (hex == null || hex.length() % 2 != 0) return null;
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) return null;
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  private static boolean isNonZeroHex(String id, int length) {
    if (id.length() != length) return false;
    boolean nonZero = false;
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      if (!digit && !(c >= 'a' && c <= 'f')) return false;
      if (c != '0') nonZero = true;
    }
    return nonZero;
  }
}
