package dev.tracepipe.registry;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.tracepipe.platform.http.HttpSecurity;
import dev.tracepipe.platform.http.HttpSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the Confluent Schema Registry REST API (AVRO only) on the loopback
 * interface, storing its state in a compacted Kafka topic so that schema ids survive restarts.
 *
 * <p>Only one instance may write to a given topic at a time: ids are allocated from this instance's
 * view of the topic, so two writers could hand out the same id for different schemas.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  /** The topic Confluent's registry uses by default. */
  public static final String DEFAULT_TOPIC = "_schemas";
  /** Bounds each read, write and topic operation against the broker. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int HTTP_THREADS = 4;
  /** Keys of {@link HttpSettings} under this prefix apply to the embedded registry, falling back to http.*. */
  public static final String HTTP_PREFIX = "registry.http.";

  private final KafkaSchemaLog log;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;

  private EmbeddedSchemaRegistry(KafkaSchemaLog log, HttpServer server, ExecutorService executor, boolean tls) {
    this.log = log;
    this.server = server;
    this.executor = executor;
    this.url = (tls ? "https" : "http") + "://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  /** Starts on {@code port} (0 for an ephemeral one) with the {@value #DEFAULT_TOPIC} topic. */
  public static EmbeddedSchemaRegistry start(String bootstrapServers, int port) {
    return start(bootstrapServers, port, DEFAULT_TOPIC, DEFAULT_TIMEOUT);
  }

  /** Starts on {@code port} with the {@value #DEFAULT_TOPIC} topic, connecting with these Kafka client settings. */
  public static EmbeddedSchemaRegistry start(Map<String, Object> kafkaClient, int port) {
    return start(kafkaClient, port, DEFAULT_TOPIC, DEFAULT_TIMEOUT, HttpSettings.DEFAULTS.withThreads(HTTP_THREADS));
  }

  /**
   * Starts on {@code port} (0 for an ephemeral one), creating {@code topic} if missing and reading it
   * to its end before serving, so every id registered before is known again.
   */
  public static EmbeddedSchemaRegistry start(String bootstrapServers, int port, String topic, Duration timeout) {
    return start(bootstrapServers, port, topic, timeout, HttpSettings.DEFAULTS.withThreads(HTTP_THREADS));
  }

  /**
   * As {@link #start(String, int, String, Duration)}, serving over TLS and asking for credentials (basic, as
   * Confluent clients send with {@code basic.auth.user.info}, or a bearer token) when the settings say so.
   */
  public static EmbeddedSchemaRegistry start(String bootstrapServers, int port, String topic, Duration timeout,
      HttpSettings http) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers == null");
    return start(Map.of("bootstrap.servers", bootstrapServers), port, topic, timeout, http);
  }

  /**
   * As {@link #start(String, int, String, Duration, HttpSettings)}, with every Kafka client setting (bootstrap
   * servers and the security ones, see {@code TracepipeConfig.kafkaClientProperties()}).
   */
  public static EmbeddedSchemaRegistry start(Map<String, Object> kafkaClient, int port, String topic,
      Duration timeout, HttpSettings http) {
    Objects.requireNonNull(http, "http == null");
    Objects.requireNonNull(kafkaClient, "kafkaClient == null");
    Objects.requireNonNull(topic, "topic == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    KafkaSchemaLog log = KafkaSchemaLog.open(kafkaClient, topic, timeout);
    ExecutorService executor = null;
    try {
      SchemaRegistryService service = new SchemaRegistryService(log);
      HttpSecurity security = new HttpSecurity(http);
      HttpServer server = security.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      HttpContext context = server.createContext("/", new RegistryHttpHandler(service));
      if (http.authenticates()) context.setAuthenticator(security.authenticator());
      executor = Executors.newFixedThreadPool(http.threads(), daemonThreads());
      server.setExecutor(executor);
      server.start();
      EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(log, server, executor, http.tls());
      LOG.info("Schema registry serving {} from topic {} ({} subjects)", registry.url, topic,
          service.subjects().size());
      return registry;
    } catch (IOException | RuntimeException e) {
      if (executor != null) {
        executor.shutdownNow();
      }
      log.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("could not open the registry's HTTP port " + port, io);
      }
      throw (RuntimeException) e;
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8081}, for {@code schema.registry.url}. */
  public String url() {
    return url;
  }

  /** The port served on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Schema registry HTTP threads still busy after 5 s; interrupting them");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    } finally {
      log.close();
    }
    LOG.info("Schema registry at {} stopped", url);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
