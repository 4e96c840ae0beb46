package dev.tracepipe.alerts;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.platform.http.HttpApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to Alertmanager's {@code POST /api/v2/alerts} from a thread of its own, so that a slow or absent
 * Alertmanager never stalls stream processing. A failed batch is retried with backoff while new alerts queue up to a
 * bound; beyond it they are dropped and counted (a firing condition is sent again at its repeat interval anyway).
 */
final class AlertmanagerDelivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerDelivery.class);
  private static final int MAX_BATCH = 100;
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final AlertmanagerSettings settings;
  private final URI endpoint;
  private final BlockingQueue<LatencyAlert> queue;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Counter sent;
  private final Counter failed;
  private final Counter dropped;
  private final Thread sender;
  private volatile boolean running = true;
  private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;
  private long failuresSinceLog;

  AlertmanagerDelivery(AlertmanagerSettings settings, MeterRegistry meters, String name) {
    this.settings = settings;
    String base = settings.url().orElseThrow(() -> new IllegalArgumentException(AlertmanagerSettings.URL.key() + " unset"));
    this.endpoint = URI.create(base.replaceAll("/+$", "") + "/api/v2/alerts");
    this.queue = new ArrayBlockingQueue<>(settings.queue());
    this.sent = Counter.builder("tracepipe.alertmanager.sent").description("Alerts accepted by Alertmanager")
        .register(meters);
    this.failed = Counter.builder("tracepipe.alertmanager.failed")
        .description("Attempts to send a batch to Alertmanager that failed (retried)").register(meters);
    this.dropped = Counter.builder("tracepipe.alertmanager.dropped")
        .description("Alerts not sent to Alertmanager because the queue was full").register(meters);
    this.sender = new Thread(this::run, name);
    sender.setDaemon(true);
    sender.start();
  }

  /** Queues an alert without waiting. */
  void offer(LatencyAlert alert) {
    if (!queue.offer(alert)) {
      dropped.increment();
      logBounded("Alertmanager queue full (" + settings.queue() + "): alerts dropped, see tracepipe.alertmanager.dropped");
    }
  }

  private void run() {
    List<LatencyAlert> batch = new ArrayList<>();
    long backoffMillis = 0;
    while (running || !queue.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          LatencyAlert first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
        }
        if (post(batch)) {
          sent.increment(batch.size());
          batch.clear();
          backoffMillis = 0;
        } else {
          failed.increment();
          backoffMillis = Math.min(30_000, Math.max(500, backoffMillis * 2));
          if (!running) {
            return; // closing: the alerts left are given up rather than holding shutdown
          }
          Thread.sleep(backoffMillis);
        }
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private boolean post(List<LatencyAlert> batch) throws InterruptedException {
    Instant now = Instant.now();
    List<Object> body = new ArrayList<>(batch.size());
    for (LatencyAlert alert : batch) {
      body.add(AlertmanagerPayload.of(alert, now, settings.firingTimeout(), settings.generatorUrl()));
    }
    try {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint)
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(HttpApi.JSON.writeValueAsBytes(body)))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return true;
      }
      logBounded("Alertmanager " + endpoint + " answered " + response.statusCode() + ": " + response.body());
    } catch (IOException e) {
      logBounded("Alertmanager " + endpoint + " did not answer: " + e);
    }
    return false;
  }

  private synchronized void logBounded(String message) {
    failuresSinceLog++;
    long now = System.nanoTime();
    if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
      LOG.warn("{} ({} such problems in the last minute)", message, failuresSinceLog);
      lastLogNanos = now;
      failuresSinceLog = 0;
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      sender.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
  }
}
