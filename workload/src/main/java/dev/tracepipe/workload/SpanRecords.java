package dev.tracepipe.workload;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds Avro spans the way an OpenTelemetry SDK would fill them in. */
final class SpanRecords {
  private SpanRecords() {}

  /**
   * What went wrong in a span: {@code httpStatus} is 0 when there was no HTTP response, {@code exceptionType} is null
   * when the span only reports a failure below it.
   */
  record Failure(int httpStatus, String message, String exceptionType) {
    static Failure thrown(int httpStatus, String exceptionType, String message) {
      return new Failure(httpStatus, message, exceptionType);
    }

    static Failure reported(int httpStatus, String message) {
      return new Failure(httpStatus, message, null);
    }
  }

  /** The fields that differ between spans; everything else is fixed or derived. */
  record Shape(String traceId, String spanId, String parentSpanId, Instance at, String name, SpanKind kind,
      String scope, long startNanos, long endNanos, RemotePeer remote) {}

  static Span span(Shape shape, Map<String, String> attributes, Failure failure) {
    Status status = failure == null ? new Status(StatusCode.UNSET, null) : new Status(StatusCode.ERROR, failure.message());
    List<SpanEvent> events = new ArrayList<>(0);
    if (failure != null && failure.exceptionType() != null) {
      Map<String, String> exception = new HashMap<>(4);
      exception.put("exception.type", failure.exceptionType());
      exception.put("exception.message", failure.message());
      events.add(new SpanEvent(shape.endNanos(), "exception", exception));
    }
    return new Span(shape.traceId(), shape.spanId(), shape.parentSpanId(), false, shape.at().service(), shape.name(),
        shape.kind(), shape.startNanos(), shape.endNanos() - shape.startNanos(), status, attributes,
        new HashMap<>(shape.at().resource()), events, new ArrayList<>(0), shape.remote(), shape.scope(), 0, 0, 0, 0, false);
  }

  /** Attributes of an HTTP server span. */
  static Map<String, String> httpServer(Operation operation, String path, int status) {
    Map<String, String> attributes = new HashMap<>(8);
    attributes.put("http.method", operation.method());
    attributes.put("http.route", operation.route());
    attributes.put("http.target", path);
    attributes.put("http.scheme", "http");
    attributes.put("http.status_code", Integer.toString(status));
    return attributes;
  }

  /** Attributes of an HTTP client span calling an instrumented service by its cluster DNS name. */
  static Map<String, String> httpClient(Operation operation, String path, int port, int status) {
    Map<String, String> attributes = new HashMap<>(8);
    attributes.put("http.method", operation.method());
    attributes.put("http.url", "http://" + operation.service() + ":" + port + path);
    attributes.put("http.status_code", Integer.toString(status));
    attributes.put("server.address", operation.service());
    attributes.put("server.port", Integer.toString(port));
    return attributes;
  }

  /** Attributes of a PRODUCER or CONSUMER span. */
  static Map<String, String> messaging(Peer broker, String destination, String operation, String consumerGroup) {
    Map<String, String> attributes = new HashMap<>(8);
    attributes.put("messaging.system", broker.messagingSystem());
    attributes.put("messaging.destination.name", destination);
    attributes.put("messaging.operation", operation);
    attributes.put("peer.service", broker.service());
    attributes.put("server.address", broker.address());
    attributes.put("server.port", Integer.toString(broker.port()));
    if (consumerGroup != null) {
      attributes.put("messaging.kafka.consumer.group", consumerGroup);
    }
    return attributes;
  }

  /** An error message such as a client library would report for a failed request to a peer. */
  static Failure peerFailure(Peer peer, boolean unreachable) {
    if (peer.dbSystem() != null && peer.dbSystem().equals("redis")) {
      return unreachable
          ? Failure.thrown(0, "io.lettuce.core.RedisConnectionException", "Unable to connect to " + peer.address())
          : Failure.thrown(0, "io.lettuce.core.RedisCommandTimeoutException", "Command timed out after 1 second(s)");
    }
    if (peer.dbSystem() != null) {
      return unreachable
          ? Failure.thrown(0, "org.postgresql.util.PSQLException", "Connection to " + peer.address() + ":"
              + peer.port() + " refused")
          : Failure.thrown(0, "org.postgresql.util.PSQLException", "ERROR: deadlock detected");
    }
    if (peer.messagingSystem() != null) {
      return Failure.thrown(0, "org.apache.kafka.common.errors.TimeoutException",
          "Expiring 1 record(s): 30000 ms has passed since batch creation");
    }
    // A refused connection gets no response, hence no status code.
    return unreachable
        ? Failure.thrown(0, "java.net.ConnectException", "Connection refused: " + peer.address())
        : Failure.thrown(500, "java.io.IOException", "HTTP 500 from " + peer.address());
  }
}
