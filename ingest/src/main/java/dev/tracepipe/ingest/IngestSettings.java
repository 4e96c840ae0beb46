package dev.tracepipe.ingest;

import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;

/**
 * The ingest stage's configuration keys and defaults (all under {@code ingest.}); see the module README.
 *
 * @param httpHost the address both receivers bind to
 * @param otlpPort the OTLP/HTTP port, 4318 by default; negative disables the receiver
 * @param zipkinPort the Zipkin HTTP port, 9411 by default; negative disables the receiver
 */
record IngestSettings(IngestTopology.InputTopics inputs, IngestLimits limits, String httpHost, int otlpPort,
                      int zipkinPort, int httpThreads, long maxBodyBytes, Duration ackTimeout, Duration retryAfter,
                      Duration producerMaxBlock) {

  static IngestSettings from(TracepipeConfig config) {
    IngestLimits defaults = IngestLimits.DEFAULTS;
    IngestLimits limits = new IngestLimits(
        config.integer("ingest.max-attributes", defaults.maxAttributes()),
        config.integer("ingest.max-value-length", defaults.maxValueLength()),
        config.integer("ingest.max-events", defaults.maxEvents()),
        config.integer("ingest.max-links", defaults.maxLinks()),
        config.integer("ingest.max-span-chars", defaults.maxSpanChars()),
        null, null);
    if (config.bool("ingest.timestamp.check", true)) {
      limits = limits.withTimestampWindow(config.duration("ingest.timestamp.max-past", defaults.maxPast()),
          config.duration("ingest.timestamp.max-future", defaults.maxFuture()));
    }
    return new IngestSettings(
        new IngestTopology.InputTopics(
            config.string("ingest.topic.spans", Topics.SPANS.name()),
            config.string("ingest.topic.otlp", Topics.OTLP_SPANS.name()),
            config.string("ingest.topic.zipkin", Topics.ZIPKIN.name())),
        limits,
        config.string("ingest.http.host", config.string(TracepipeConfig.HTTP_HOST, "localhost")),
        config.integer("ingest.otlp.port", 4318),
        config.integer("ingest.zipkin.port", 9411),
        config.integer("ingest.http.threads", 8),
        config.longValue("ingest.http.max-body-bytes", 4L * 1024 * 1024),
        config.duration("ingest.http.ack-timeout", Duration.ofSeconds(10)),
        config.duration("ingest.http.retry-after", Duration.ofSeconds(5)),
        config.duration("ingest.http.producer-max-block", Duration.ofSeconds(2)));
  }
}
