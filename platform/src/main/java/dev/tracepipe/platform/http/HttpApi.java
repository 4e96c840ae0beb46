package dev.tracepipe.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP router on the JDK's server: routes are a method and a path template such as
 * {@code /subjects/{subject}/versions/{version}}; handlers return a {@link HttpResponse}. The server takes its limits,
 * TLS and authentication from {@link HttpSettings}; see the platform RATIONALE for why it stays on the JDK server.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
  /** Paths answered without credentials: orchestrators probe them without any. */
  private static final Set<String> OPEN_PATHS = Set.of("/health");
  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Handles one request. */
  @FunctionalInterface
  public interface Handler {
    HttpResponse handle(HttpRequest request) throws Exception;
  }

  /** Renders an error the router itself produces (401, 404, 405, 413, 503, 500) in the protocol the server speaks. */
  @FunctionalInterface
  public interface ErrorBody {
    HttpResponse render(int status, String reason, String requestContentType);
  }

  private record Route(String method, PathTemplate template, Handler handler) {}

  private final HttpServer server;
  private final BoundedExecutor executor;
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final String name;
  private final HttpSettings settings;
  private final HttpSecurity security;
  private final Peers peers;
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong unauthorized = new AtomicLong();
  private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private volatile ErrorBody errorBody = (status, reason, contentType) -> HttpResponse.error(status, reason);
  private volatile boolean draining;

  private HttpApi(String name, HttpServer server, BoundedExecutor executor, HttpSettings settings) {
    this.name = name;
    this.server = server;
    this.executor = executor;
    this.settings = settings;
    this.security = new HttpSecurity(settings);
    this.peers = new Peers(settings);
    server.createContext("/", this::dispatch);
  }

  /** Starts a plain, open server on host:port (port 0 picks a free one) with the given number of handler threads. */
  public static HttpApi start(String name, String host, int port, int threads, long maxBodyBytes) {
    return start(name, host, port, HttpSettings.DEFAULTS.withThreads(threads).withMaxBodyBytes(maxBodyBytes));
  }

  /** Starts a server on host:port (port 0 picks a free one) as the settings say. */
  public static HttpApi start(String name, String host, int port, HttpSettings settings) {
    installReadTimeout(settings);
    try {
      HttpServer server = new HttpSecurity(settings).createServer(new InetSocketAddress(host, port), 128);
      BoundedExecutor executor = new BoundedExecutor(name, settings.threads(), settings.queue());
      server.setExecutor(executor);
      HttpApi api = new HttpApi(name, server, executor, settings);
      server.start();
      LOG.info("{} HTTP API listening on {} ({})", name, api.baseUrl(), settings);
      return api;
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen for " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * The JDK server reads its request timeout once per process from a system property (in whole seconds) and then closes
   * any connection whose request headers and body take longer; the first server's setting therefore applies to all.
   */
  private static void installReadTimeout(HttpSettings settings) {
    if (System.getProperty(MAX_REQ_TIME) == null) {
      System.setProperty(MAX_REQ_TIME, Long.toString(Math.max(1, settings.readTimeout().toSeconds())));
    }
  }

  /** The read timeout every server of this process runs with, once one has started; null before. */
  static Duration processReadTimeout() {
    String seconds = System.getProperty(MAX_REQ_TIME);
    return seconds == null ? null : Duration.ofSeconds(Long.parseLong(seconds));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return (settings.tls() ? "https" : "http") + "://" + server.getAddress().getHostString() + ":" + port();
  }

  /** The settings the server runs with. */
  public HttpSettings settings() {
    return settings;
  }

  /** How to call another instance of this process: scheme, trust and credential. */
  public Peers peers() {
    return peers;
  }

  /** Requests answered 503 because every thread and queue slot was taken, or during the drain. */
  public long shedCount() {
    return shed.get();
  }

  /** Requests running or waiting for a thread. */
  int inFlight() {
    return executor.inFlight();
  }

  boolean draining() {
    return draining;
  }

  /** Requests answered 401. */
  public long unauthorizedCount() {
    return unauthorized.get();
  }

  /** Renders the router's own errors in the server's protocol (OTLP answers google.rpc.Status, say). */
  public HttpApi errorBody(ErrorBody body) {
    this.errorBody = Objects.requireNonNull(body, "body == null");
    return this;
  }

  public HttpApi route(String method, String pathTemplate, Handler handler) {
    routes.add(new Route(method.toUpperCase(), PathTemplate.parse(pathTemplate), Objects.requireNonNull(handler)));
    return this;
  }

  public HttpApi get(String pathTemplate, Handler handler) {
    return route("GET", pathTemplate, handler);
  }

  public HttpApi post(String pathTemplate, Handler handler) {
    return route("POST", pathTemplate, handler);
  }

  private void dispatch(HttpExchange exchange) {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (draining || BoundedExecutor.shedding()) {
      shed.incrementAndGet();
      logBounded("{}: {} request(s) answered 503 so far ({})", name, shed.get(),
          draining ? "shutting down" : "all " + settings.threads() + " threads and " + settings.queue()
              + " queue slots busy");
      HttpResponse busy = errorBody.render(503, draining ? "shutting down; retry on another instance"
          : "server busy; retry later", contentType)
          .withHeader("Retry-After", Long.toString(Math.max(1, settings.retryAfter().toSeconds())))
          .withHeader("Connection", "close");
      write(exchange, busy, false);
      return;
    }
    HttpResponse response;
    try {
      response = respond(exchange, contentType);
    } catch (HttpException e) {
      response = errorBody.render(e.status(), e.getMessage(), contentType);
    } catch (Exception e) {
      LOG.error("{} {} {} failed", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
      response = errorBody.render(500, "internal error: " + e.getMessage(), contentType);
    }
    write(exchange, response, true);
  }

  private HttpResponse respond(HttpExchange exchange, String contentType) throws Exception {
    String path = exchange.getRequestURI().getRawPath();
    if (!OPEN_PATHS.contains(path)) {
      String reason = security.reject(exchange.getRequestHeaders().getFirst("Authorization"));
      if (reason != null) {
        unauthorized.incrementAndGet();
        return errorBody.render(401, reason, contentType).withHeader("WWW-Authenticate", HttpSecurity.CHALLENGE);
      }
    }
    List<String> allowed = new ArrayList<>();
    for (Route route : routes) {
      Map<String, String> params = route.template().match(path);
      if (params == null) {
        continue;
      }
      if (!route.method().equals(exchange.getRequestMethod())) {
        allowed.add(route.method());
        continue;
      }
      return route.handler().handle(HttpRequest.from(exchange, params, settings.maxBodyBytes()));
    }
    if (!allowed.isEmpty()) {
      return errorBody.render(405, "method " + exchange.getRequestMethod() + " not allowed; use " + allowed,
          contentType).withHeader("Allow", String.join(", ", allowed));
    }
    return errorBody.render(404, "no such resource: " + path, contentType);
  }

  private void write(HttpExchange exchange, HttpResponse response, boolean readRest) {
    try (exchange; InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
      // Reading what is left keeps the connection usable; a shed request's body is not worth the time.
      if (readRest) in.transferTo(OutputStream.nullOutputStream());
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      byte[] body = response.body();
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        out.write(body);
      }
    } catch (IOException e) {
      LOG.debug("{}: client went away before the response was written: {}", name, e.getMessage());
    }
  }

  private void logBounded(String format, Object... args) {
    long now = System.nanoTime();
    long last = lastLogNanos.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now)) {
      LOG.warn(format, args);
    }
  }

  /**
   * Drains: new requests are answered 503 with {@code Retry-After} at once, requests already taken (running or queued)
   * get up to the drain timeout to finish, then the server stops.
   */
  @Override
  public void close() {
    draining = true;
    try {
      if (!executor.awaitIdle(settings.drainTimeout().toMillis())) {
        LOG.warn("{}: {} request(s) still open after the {} drain; closing them", name, executor.inFlight(),
            settings.drainTimeout());
      }
      server.stop(0);
      executor.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
    }
  }
}
