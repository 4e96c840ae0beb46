package dev.tracepipe.tracestore;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keys of the search, expiry and name stores. Strings whose UTF-8 bytes sort as the index must: a NUL separates the
 * parts, and times are 16 fixed-width hex digits, so RocksDB's byte order is time order within one prefix.
 */
final class IndexKeys {
  static final char SEP = '\u0000';
  /** The search index's prefix for "any service": every trace is indexed under it too. */
  static final String ANY_SERVICE = "";
  static final String SERVICE = "s";
  static final String SPAN_NAME = "n";
  static final String REMOTE_SERVICE = "r";
  static final String TAG_VALUE = "k";

  private IndexKeys() {}

  /** Search index key: service, trace timestamp in µs, trace id. */
  static String search(String service, long timestampMicros, String traceId) {
    return service + SEP + hex(timestampMicros) + SEP + traceId;
  }

  /** The first key at or after {@code timestampMicros} for the service. */
  static String searchFrom(String service, long timestampMicros) {
    return service + SEP + hex(timestampMicros) + SEP;
  }

  /** A key after every key at {@code timestampMicros} for the service, whatever the trace id. */
  static String searchTo(String service, long timestampMicros) {
    return service + SEP + hex(timestampMicros) + '\u0001';
  }

  static String traceIdOf(String key) {
    return key.substring(key.lastIndexOf(SEP) + 1);
  }

  /** Expiry index key: the time the trace's retention starts from, in ms, then the trace id. */
  static String expiry(long retainFromMillis, String traceId) {
    return hex(retainFromMillis) + SEP + traceId;
  }

  static long expiryTime(String key) {
    return Long.parseUnsignedLong(key.substring(0, 16), 16);
  }

  static String expiryTo(long millis) {
    return hex(millis) + SEP;
  }

  /** A name of the given kind, under a parent (the service, or the tag key); no parent for service names. */
  static String name(String kind, String parent, String value) {
    return parent == null ? kind + SEP + value : kind + SEP + parent + SEP + value;
  }

  static String namePrefix(String kind, String parent) {
    return parent == null ? kind + SEP : kind + SEP + parent + SEP;
  }

  static String nameValue(String key) {
    return key.substring(key.lastIndexOf(SEP) + 1);
  }

  /** Every search key of a trace: one per local service, and one under {@link #ANY_SERVICE}. */
  static List<String> searchKeys(String traceId, long timestampMicros, Set<String> services) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(search(ANY_SERVICE, timestampMicros, traceId));
    for (String service : services) keys.add(search(service, timestampMicros, traceId));
    return List.copyOf(keys);
  }

  private static String hex(long value) {
    String digits = Long.toHexString(Math.max(0, value));
    return "0".repeat(16 - digits.length()) + digits;
  }
}
