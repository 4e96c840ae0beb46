package dev.tracepipe.ingest;

import dev.tracepipe.platform.http.HttpRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps every HTTP receiver shares: read the body, decode, validate, write to Kafka and wait for the acks. */
final class HttpIngestion {
  private static final Logger LOG = LoggerFactory.getLogger(HttpIngestion.class);
  static final String REQUESTS = "tracepipe.ingest.http.requests";

  private final SpanIngestor ingestor;
  private final SpanPublisher publisher;
  private final long maxBodyBytes;
  private final MeterRegistry meters;

  /** What became of a request; receivers turn it into their protocol's response. */
  sealed interface Outcome {
    /** Everything decodable was written and acknowledged; rejected spans went to the dead-letter topic. */
    record Published(SpanIngestor.Result result) implements Outcome {}

    /** The request itself is wrong (400, 413, 415): retrying it cannot help. */
    record Refused(int status, String message) implements Outcome {}

    /** Kafka could not take the spans now (429, 503): the client should retry later. */
    record Unavailable(int status, String message) implements Outcome {}
  }

  HttpIngestion(SpanIngestor ingestor, SpanPublisher publisher, long maxBodyBytes, MeterRegistry meters) {
    this.ingestor = Objects.requireNonNull(ingestor, "ingestor == null");
    this.publisher = Objects.requireNonNull(publisher, "publisher == null");
    if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes < 1: " + maxBodyBytes);
    this.maxBodyBytes = maxBodyBytes;
    this.meters = Objects.requireNonNull(meters, "meters == null");
  }

  Outcome ingest(String receiver, HttpRequest request, Function<byte[], Decoded> decoder) {
    Outcome outcome;
    try {
      byte[] body = HttpBodies.read(request.bodyStream(), request.header("Content-Encoding").orElse(null),
          maxBodyBytes);
      outcome = run(body, request.path(), request.remoteAddress(), decoder);
    } catch (HttpBodies.BodyException e) {
      outcome = new Outcome.Refused(e.status(), e.getMessage());
    }
    return counted(receiver, outcome);
  }

  /** The same for a body already read (gRPC hands over whole, decompressed messages). */
  Outcome ingest(String receiver, byte[] body, String path, String client, Function<byte[], Decoded> decoder) {
    return counted(receiver, run(body, path, client, decoder));
  }

  /** Counts a request turned away unread, every worker and queue slot being taken, as the 503 it is answered. */
  void shed(String receiver, String message) {
    counted(receiver, new Outcome.Unavailable(503, message));
  }

  private Outcome counted(String receiver, Outcome outcome) {
    int status = 200;
    if (outcome instanceof Outcome.Refused refused) status = refused.status();
    if (outcome instanceof Outcome.Unavailable unavailable) status = unavailable.status();
    Counter.builder(REQUESTS).description("Span requests received over HTTP, by outcome")
        .tag("receiver", receiver).tag("status", Integer.toString(status)).register(meters).increment();
    return outcome;
  }

  private Outcome run(byte[] body, String path, String client, Function<byte[], Decoded> decoder) {
    // The receiver's clock centres the plausibility window: the arrival time of the request.
    Decoded decoded = decoder.apply(body);
    SpanIngestor.Result result = ingestor.ingest(decoded, System.currentTimeMillis());
    boolean undecodable = decoded.undecodable();
    try {
      publisher.publish(result, path, client);
    } catch (SpanPublisher.PublishException e) {
      if (!undecodable) return new Outcome.Unavailable(e.status(), e.getMessage());
      LOG.error("could not dead-letter an undecodable request from {}", client, e);
    }
    if (undecodable) return new Outcome.Refused(400, result.rejected().get(0).detail());
    return new Outcome.Published(result);
  }
}
