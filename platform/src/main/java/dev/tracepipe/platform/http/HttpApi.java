package dev.tracepipe.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP router on the JDK's server: routes are a method and a path template such as
 * {@code /subjects/{subject}/versions/{version}}; handlers return a {@link HttpResponse}.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  public static final ObjectMapper JSON = new ObjectMapper();

  /** Handles one request. */
  @FunctionalInterface
  public interface Handler {
    HttpResponse handle(HttpRequest request) throws Exception;
  }

  private record Route(String method, PathTemplate template, Handler handler) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final String name;
  private final long maxBodyBytes;

  private HttpApi(String name, HttpServer server, ExecutorService executor, long maxBodyBytes) {
    this.name = name;
    this.server = server;
    this.executor = executor;
    this.maxBodyBytes = maxBodyBytes;
    server.createContext("/", this::dispatch);
  }

  /** Starts a server on host:port (port 0 picks a free one) with the given number of handler threads. */
  public static HttpApi start(String name, String host, int port, int threads, long maxBodyBytes) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
      ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "http-" + name);
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      HttpApi api = new HttpApi(name, server, executor, maxBodyBytes);
      server.start();
      LOG.info("{} HTTP API listening on {}:{}", name, host, api.port());
      return api;
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen for " + name + " on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + port();
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
    HttpResponse response;
    try {
      response = respond(exchange);
    } catch (HttpException e) {
      response = HttpResponse.error(e.status(), e.getMessage());
    } catch (Exception e) {
      LOG.error("{} {} {} failed", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
      response = HttpResponse.error(500, "internal error: " + e.getMessage());
    }
    write(exchange, response);
  }

  private HttpResponse respond(HttpExchange exchange) throws Exception {
    String path = exchange.getRequestURI().getRawPath();
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
      return route.handler().handle(HttpRequest.from(exchange, params, maxBodyBytes));
    }
    if (!allowed.isEmpty()) {
      return HttpResponse.error(405, "method " + exchange.getRequestMethod() + " not allowed; use " + allowed)
          .withHeader("Allow", String.join(", ", allowed));
    }
    return HttpResponse.error(404, "no such resource: " + path);
  }

  private void write(HttpExchange exchange, HttpResponse response) {
    try (exchange; InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
      in.transferTo(OutputStream.nullOutputStream());
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

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
