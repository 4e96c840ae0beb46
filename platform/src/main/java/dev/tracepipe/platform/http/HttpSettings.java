package dev.tracepipe.platform.http;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * How every HTTP server of the process runs: worker threads, a bounded queue, read timeout, drain on shutdown, TLS and
 * authentication. Keys are read under a server's own prefix first (e.g. {@code ingest.http.}), then under
 * {@value #PREFIX}, then the default, so one block of {@code http.*} keys secures every server.
 *
 * @param threads handler threads
 * @param queue requests waiting for a thread beyond which a request is answered 503 with {@code Retry-After}
 * @param maxBodyBytes largest request body accepted (413 above)
 * @param readTimeout longest time to read one request's headers and body; a slower client's connection is closed
 * @param drainTimeout on shutdown, how long requests already taken may take to finish
 * @param retryAfter the {@code Retry-After} sent with 503 (and 429) answers
 * @param keyStore a PKCS12 or JKS key store with the server's key and certificate; null serves plain HTTP
 * @param keyStorePassword its password
 * @param keyStoreType PKCS12 or JKS
 * @param trustStore the trust store for calls to other instances over HTTPS; null trusts the JVM's default CAs
 * @param trustStorePassword its password
 * @param tokens bearer tokens accepted; with {@code basicUsers} empty too, no authentication is asked
 * @param basicUsers {@code user -> password} accepted with basic authentication
 */
public record HttpSettings(int threads, int queue, long maxBodyBytes, Duration readTimeout, Duration drainTimeout,
                           Duration retryAfter, Path keyStore, String keyStorePassword, String keyStoreType,
                           Path trustStore, String trustStorePassword, List<String> tokens,
                           Map<String, String> basicUsers) {
  /** The prefix every server falls back to. */
  public static final String PREFIX = "http.";
  public static final String THREADS = "threads";
  public static final String QUEUE = "queue";
  public static final String MAX_BODY_BYTES = "max-body-bytes";
  public static final String READ_TIMEOUT = "read-timeout";
  public static final String DRAIN_TIMEOUT = "drain-timeout";
  public static final String RETRY_AFTER = "retry-after";
  public static final String KEY_STORE = "tls.key-store";
  public static final String KEY_STORE_PASSWORD = "tls.key-store-password";
  public static final String KEY_STORE_TYPE = "tls.key-store-type";
  public static final String TRUST_STORE = "tls.trust-store";
  public static final String TRUST_STORE_PASSWORD = "tls.trust-store-password";
  /** Comma-separated bearer tokens. */
  public static final String AUTH_TOKENS = "auth.tokens";
  /** Comma-separated {@code user:password} pairs for basic authentication. */
  public static final String AUTH_BASIC_USERS = "auth.basic-users";

  /** The process-wide keys a secured deployment sets (environment {@code TRACEPIPE_HTTP_...}). */
  public static final String HTTP_KEY_STORE = "http.tls.key-store";
  public static final String HTTP_KEY_STORE_PASSWORD = "http.tls.key-store-password";
  public static final String HTTP_TRUST_STORE = "http.tls.trust-store";
  public static final String HTTP_TRUST_STORE_PASSWORD = "http.tls.trust-store-password";
  public static final String HTTP_AUTH_TOKENS = "http.auth.tokens";
  public static final String HTTP_AUTH_BASIC_USERS = "http.auth.basic-users";

  /** 8 threads, 64 waiting requests, 16 MiB bodies, 30 s to read a request, 10 s to drain, plain and open. */
  public static final HttpSettings DEFAULTS = new HttpSettings(8, 64, 16L * 1024 * 1024, Duration.ofSeconds(30),
      Duration.ofSeconds(10), Duration.ofSeconds(5), null, "", "PKCS12", null, "", List.of(), Map.of());

  public HttpSettings {
    if (threads < 1) throw new IllegalArgumentException("threads < 1: " + threads);
    if (queue < 0) throw new IllegalArgumentException("queue < 0: " + queue);
    if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes < 1: " + maxBodyBytes);
    Objects.requireNonNull(readTimeout, "readTimeout == null");
    Objects.requireNonNull(drainTimeout, "drainTimeout == null");
    Objects.requireNonNull(retryAfter, "retryAfter == null");
    Objects.requireNonNull(keyStorePassword, "keyStorePassword == null");
    Objects.requireNonNull(keyStoreType, "keyStoreType == null");
    Objects.requireNonNull(trustStorePassword, "trustStorePassword == null");
    tokens = List.copyOf(tokens);
    basicUsers = Map.copyOf(basicUsers);
  }

  /** Every key under {@code prefix} with its default, for the configuration reference. */
  public static List<Setting> declared(String prefix, HttpSettings defaults) {
    String also = prefix.equals(PREFIX) ? "" : " (else `" + PREFIX + "*`)";
    return List.of(
        Setting.of(prefix + THREADS, defaults.threads(), "handler threads" + also),
        Setting.of(prefix + QUEUE, defaults.queue(), "requests waiting for a thread; beyond, 503 with Retry-After" + also),
        Setting.of(prefix + MAX_BODY_BYTES, defaults.maxBodyBytes(), "largest request body (413 above)" + also),
        Setting.of(prefix + READ_TIMEOUT, defaults.readTimeout(), "longest time to read one request" + also),
        Setting.of(prefix + DRAIN_TIMEOUT, defaults.drainTimeout(),
            "on shutdown, how long requests already taken may take to finish" + also),
        Setting.of(prefix + RETRY_AFTER, defaults.retryAfter(), "`Retry-After` of 429 and 503 answers" + also),
        Setting.of(prefix + KEY_STORE, "", "PKCS12 or JKS key store with the server's key and certificate; empty"
            + " serves plain HTTP" + also),
        Setting.of(prefix + KEY_STORE_PASSWORD, "", "its password" + also),
        Setting.of(prefix + KEY_STORE_TYPE, defaults.keyStoreType(), "PKCS12 or JKS" + also),
        Setting.of(prefix + TRUST_STORE, "", "trust store for calls to other instances over HTTPS" + also),
        Setting.of(prefix + TRUST_STORE_PASSWORD, "", "its password" + also),
        Setting.of(prefix + AUTH_TOKENS, "", "comma-separated bearer tokens accepted; with no basic users either, no"
            + " credentials are asked" + also),
        Setting.of(prefix + AUTH_BASIC_USERS, "", "comma-separated `user:password` pairs accepted with basic"
            + " authentication" + also));
  }

  /** The settings of the server whose keys live under {@code prefix} (ending with a dot), falling back to http.*. */
  public static HttpSettings from(TracepipeConfig config, String prefix) {
    return from(config, prefix, DEFAULTS);
  }

  /** As {@link #from(TracepipeConfig, String)} with a server's own defaults (say, a smaller body limit). */
  public static HttpSettings from(TracepipeConfig config, String prefix, HttpSettings defaults) {
    BiFunction<String, String, String> get = (key, fallback) ->
        config.find(prefix + key).or(() -> config.find(PREFIX + key)).orElse(fallback);
    String keyStore = get.apply(KEY_STORE, null);
    String trustStore = get.apply(TRUST_STORE, null);
    return new HttpSettings(
        Integer.parseInt(get.apply(THREADS, Integer.toString(defaults.threads()))),
        Integer.parseInt(get.apply(QUEUE, Integer.toString(defaults.queue()))),
        Long.parseLong(get.apply(MAX_BODY_BYTES, Long.toString(defaults.maxBodyBytes()))),
        duration(get.apply(READ_TIMEOUT, null), defaults.readTimeout()),
        duration(get.apply(DRAIN_TIMEOUT, null), defaults.drainTimeout()),
        duration(get.apply(RETRY_AFTER, null), defaults.retryAfter()),
        keyStore == null ? defaults.keyStore() : Path.of(keyStore),
        get.apply(KEY_STORE_PASSWORD, defaults.keyStorePassword()),
        get.apply(KEY_STORE_TYPE, defaults.keyStoreType()),
        trustStore == null ? defaults.trustStore() : Path.of(trustStore),
        get.apply(TRUST_STORE_PASSWORD, defaults.trustStorePassword()),
        list(get.apply(AUTH_TOKENS, String.join(",", defaults.tokens()))),
        users(get.apply(AUTH_BASIC_USERS, null), defaults.basicUsers()));
  }

  private static Duration duration(String value, Duration fallback) {
    return value == null ? fallback : TracepipeConfig.of(Map.of("d", value)).duration("d", fallback);
  }

  private static List<String> list(String csv) {
    return csv == null || csv.isBlank() ? List.of()
        : List.of(csv.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Map<String, String> users(String csv, Map<String, String> fallback) {
    if (csv == null) return fallback;
    Map<String, String> users = new LinkedHashMap<>();
    for (String pair : list(csv)) {
      int colon = pair.indexOf(':');
      if (colon < 1) throw new IllegalArgumentException(AUTH_BASIC_USERS + ": expected user:password, got a value "
          + "without a colon");
      users.put(pair.substring(0, colon), pair.substring(colon + 1));
    }
    return users;
  }

  public HttpSettings withThreads(int threads) {
    return new HttpSettings(threads, queue, maxBodyBytes, readTimeout, drainTimeout, retryAfter, keyStore,
        keyStorePassword, keyStoreType, trustStore, trustStorePassword, tokens, basicUsers);
  }

  public HttpSettings withMaxBodyBytes(long maxBodyBytes) {
    return new HttpSettings(threads, queue, maxBodyBytes, readTimeout, drainTimeout, retryAfter, keyStore,
        keyStorePassword, keyStoreType, trustStore, trustStorePassword, tokens, basicUsers);
  }

  public HttpSettings withReadTimeout(Duration readTimeout) {
    return new HttpSettings(threads, queue, maxBodyBytes, readTimeout, drainTimeout, retryAfter, keyStore,
        keyStorePassword, keyStoreType, trustStore, trustStorePassword, tokens, basicUsers);
  }

  public HttpSettings withQueue(int queue) {
    return new HttpSettings(threads, queue, maxBodyBytes, readTimeout, drainTimeout, retryAfter, keyStore,
        keyStorePassword, keyStoreType, trustStore, trustStorePassword, tokens, basicUsers);
  }

  public HttpSettings withTls(Path keyStore, String password) {
    return new HttpSettings(threads, queue, maxBodyBytes, readTimeout, drainTimeout, retryAfter, keyStore, password,
        keyStoreType, keyStore, password, tokens, basicUsers);
  }

  public HttpSettings withAuth(List<String> tokens, Map<String, String> basicUsers) {
    return new HttpSettings(threads, queue, maxBodyBytes, readTimeout, drainTimeout, retryAfter, keyStore,
        keyStorePassword, keyStoreType, trustStore, trustStorePassword, tokens, basicUsers);
  }

  public boolean tls() {
    return keyStore != null;
  }

  public boolean authenticates() {
    return !tokens.isEmpty() || !basicUsers.isEmpty();
  }

  /** Never prints secrets. */
  @Override
  public String toString() {
    return "HttpSettings[threads=" + threads + ", queue=" + queue + ", maxBodyBytes=" + maxBodyBytes
        + ", readTimeout=" + readTimeout + ", drainTimeout=" + drainTimeout + ", tls=" + tls() + ", tokens="
        + tokens.size() + ", basicUsers=" + basicUsers.keySet() + "]";
  }
}
