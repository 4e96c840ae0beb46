package dev.tracepipe.platform.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Calls from one instance to another (the {@code /internal/*} routes and forwarded queries): the same scheme as this
 * process serves, its trust store, and its credential, so that a secured cluster's instances can still ask each other.
 */
public final class Peers {
  private final String scheme;
  private final String authorization;
  private final HttpClient client;

  public Peers(HttpSettings settings) {
    Objects.requireNonNull(settings, "settings == null");
    HttpSecurity security = new HttpSecurity(settings);
    this.scheme = settings.tls() ? "https" : "http";
    this.authorization = security.clientAuthorization();
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (settings.tls()) builder.sslContext(security.clientContext());
    this.client = builder.build();
  }

  /** Plain HTTP without credentials, for tests and single-instance tools. */
  public static Peers plain() {
    return new Peers(HttpSettings.DEFAULTS);
  }

  public HttpClient client() {
    return client;
  }

  public URI uri(String host, int port, String pathAndQuery) {
    return URI.create(scheme + "://" + host + ":" + port + pathAndQuery);
  }

  /** A request to another instance, with this process's credential when one is configured. */
  public java.net.http.HttpRequest.Builder request(String host, int port, String pathAndQuery) {
    java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(uri(host, port, pathAndQuery));
    if (authorization != null) builder.header("Authorization", authorization);
    return builder;
  }
}
