package dev.tracepipe.ingest;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;

/**
 * The ingest stage's configuration keys and defaults (all under {@code ingest.}), listed in CONFIGURATION.md.
 *
 * @param httpHost the address both receivers bind to
 * @param otlpPort the OTLP/HTTP port, 4318 by default; negative disables the receiver
 * @param zipkinPort the Zipkin HTTP port, 9411 by default; negative disables the receiver
 */
public record IngestSettings(IngestTopology.InputTopics inputs, IngestLimits limits, String httpHost, int otlpPort,
                      int zipkinPort, int httpThreads, long maxBodyBytes, Duration ackTimeout, Duration retryAfter,
                      Duration producerMaxBlock) {
  private static final IngestLimits LIMITS = IngestLimits.DEFAULTS;

  public static final Setting TOPIC_SPANS = Setting.of("ingest.topic.spans", Topics.SPANS.name(),
      "input topic of Avro spans");
  public static final Setting TOPIC_OTLP = Setting.of("ingest.topic.otlp", Topics.OTLP_SPANS.name(),
      "input topic of OTLP export requests");
  public static final Setting TOPIC_ZIPKIN = Setting.of("ingest.topic.zipkin", Topics.ZIPKIN.name(),
      "input topic of Zipkin span lists");
  public static final Setting MAX_ATTRIBUTES = Setting.of("ingest.max-attributes", LIMITS.maxAttributes(),
      "attributes kept per map (span, resource, event, link)");
  public static final Setting MAX_VALUE_LENGTH = Setting.of("ingest.max-value-length", LIMITS.maxValueLength(),
      "characters kept per value, name or status message");
  public static final Setting MAX_EVENTS = Setting.of("ingest.max-events", LIMITS.maxEvents(),
      "events kept per span");
  public static final Setting MAX_LINKS = Setting.of("ingest.max-links", LIMITS.maxLinks(), "links kept per span");
  public static final Setting MAX_SPAN_CHARS = Setting.of("ingest.max-span-chars", LIMITS.maxSpanChars(),
      "larger spans (after the caps) are rejected");
  public static final Setting TIMESTAMP_CHECK = Setting.of("ingest.timestamp.check", true,
      "false accepts any start time (replays)");
  public static final Setting TIMESTAMP_MAX_PAST = Setting.of("ingest.timestamp.max-past", LIMITS.maxPast(),
      "plausibility window before the record or arrival time");
  public static final Setting TIMESTAMP_MAX_FUTURE = Setting.of("ingest.timestamp.max-future", LIMITS.maxFuture(),
      "plausibility window after the record or arrival time");
  public static final Setting HTTP_HOST = Setting.of("ingest.http.host", "",
      "address of both receivers; `http.host` when not set");
  public static final Setting OTLP_PORT = Setting.of("ingest.otlp.port", 4318,
      "OTLP/HTTP receiver port; 0 picks a free one, negative disables");
  public static final Setting ZIPKIN_PORT = Setting.of("ingest.zipkin.port", 9411,
      "Zipkin HTTP receiver port; 0 picks a free one, negative disables");
  public static final Setting HTTP_THREADS = Setting.of("ingest.http.threads", 8,
      "handler threads per receiver, the bound on concurrent requests");
  public static final Setting MAX_BODY_BYTES = Setting.of("ingest.http.max-body-bytes", 4L * 1024 * 1024,
      "request limit after decompression (413 above it)");
  public static final Setting ACK_TIMEOUT = Setting.of("ingest.http.ack-timeout", Duration.ofSeconds(10),
      "wait for Kafka's acknowledgement before answering 503");
  public static final Setting RETRY_AFTER = Setting.of("ingest.http.retry-after", Duration.ofSeconds(5),
      "`Retry-After` of 429 and 503 answers");
  public static final Setting PRODUCER_MAX_BLOCK = Setting.of("ingest.http.producer-max-block", Duration.ofSeconds(2),
      "how long a send may wait for buffer space or metadata before 429/503");
  /** A prefix, not a key: any Kafka producer setting of the HTTP receivers' producer. */
  public static final Setting PRODUCER_PREFIX = Setting.of("ingest.producer.*", "",
      "any Kafka producer setting of the HTTP receivers' producer");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(TOPIC_SPANS, TOPIC_OTLP, TOPIC_ZIPKIN, MAX_ATTRIBUTES,
      MAX_VALUE_LENGTH, MAX_EVENTS, MAX_LINKS, MAX_SPAN_CHARS, TIMESTAMP_CHECK, TIMESTAMP_MAX_PAST,
      TIMESTAMP_MAX_FUTURE, HTTP_HOST, OTLP_PORT, ZIPKIN_PORT, HTTP_THREADS, MAX_BODY_BYTES, ACK_TIMEOUT, RETRY_AFTER,
      PRODUCER_MAX_BLOCK, PRODUCER_PREFIX);

  /** The address both receivers bind to: {@link #HTTP_HOST}, else the stages' {@code http.host}. */
  public static String receiverHost(TracepipeConfig config) {
    return HTTP_HOST.find(config).orElse(config.string(TracepipeConfig.HTTP_HOST, "localhost"));
  }

  static IngestSettings from(TracepipeConfig config) {
    IngestLimits limits = new IngestLimits(MAX_ATTRIBUTES.integer(config), MAX_VALUE_LENGTH.integer(config),
        MAX_EVENTS.integer(config), MAX_LINKS.integer(config), MAX_SPAN_CHARS.integer(config), null, null);
    if (TIMESTAMP_CHECK.bool(config)) {
      limits = limits.withTimestampWindow(TIMESTAMP_MAX_PAST.duration(config), TIMESTAMP_MAX_FUTURE.duration(config));
    }
    return new IngestSettings(
        new IngestTopology.InputTopics(TOPIC_SPANS.string(config), TOPIC_OTLP.string(config),
            TOPIC_ZIPKIN.string(config)),
        limits,
        receiverHost(config),
        OTLP_PORT.integer(config),
        ZIPKIN_PORT.integer(config),
        HTTP_THREADS.integer(config),
        MAX_BODY_BYTES.longValue(config),
        ACK_TIMEOUT.duration(config),
        RETRY_AFTER.duration(config),
        PRODUCER_MAX_BLOCK.duration(config));
  }
}
