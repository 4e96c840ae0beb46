package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The aggregator's configuration, read from {@code aggregator.*} keys.
 *
 * @param timing completion and retention times
 * @param limits per-trace span and byte caps
 * @param rocksDb memory bounds of the state stores
 */
record AggregatorSettings(Timing timing, Limits limits, BoundedRocksDbConfig.Bounds rocksDb) {

  static final String GAP = "aggregator.inactivity.gap";
  static final String MAX_DURATION = "aggregator.max.trace.duration";
  static final String LATE_RETENTION = "aggregator.late.retention";
  static final String MARKER_RETENTION = "aggregator.marker.retention";
  static final String PUNCTUATION = "aggregator.punctuation.interval";
  static final String MAX_SPANS = "aggregator.max.spans.per.trace";
  static final String MAX_BYTES = "aggregator.max.trace.bytes";
  static final int DEFAULT_MAX_SPANS = 10_000;
  static final long DEFAULT_MAX_BYTES = 12L * 1024 * 1024;
  /** Room for a trace's fields other than its spans: services, skew entries (two per span at most, and at most 100
   * arrival skews), quality. */
  static final long OVERHEAD_PER_SPAN = 128;
  static final long OVERHEAD = 64 * 1024;

  AggregatorSettings {
    Objects.requireNonNull(timing, "timing == null");
    Objects.requireNonNull(limits, "limits == null");
    Objects.requireNonNull(rocksDb, "rocksDb == null");
    long worstCase = maxTraceRecordBytes(limits);
    if (worstCase > Topics.TRACES.maxMessageBytes()) {
      throw new IllegalArgumentException("a trace at the caps (" + limits + ") may take " + worstCase
          + " bytes, more than topic " + Topics.TRACES.name() + " accepts (" + Topics.TRACES.maxMessageBytes() + ")");
    }
  }

  static AggregatorSettings defaults() {
    return new AggregatorSettings(Timing.defaults(), new Limits(DEFAULT_MAX_SPANS, DEFAULT_MAX_BYTES),
        BoundedRocksDbConfig.Bounds.DEFAULTS);
  }

  static AggregatorSettings from(TracepipeConfig config) {
    Duration gap = config.duration(GAP, Timing.DEFAULT_GAP);
    Timing timing = new Timing(gap,
        config.duration(MAX_DURATION, Timing.DEFAULT_MAX_DURATION),
        config.duration(LATE_RETENTION, gap.multipliedBy(2)),
        config.duration(MARKER_RETENTION, Timing.DEFAULT_MARKER_RETENTION),
        config.duration(PUNCTUATION, Timing.DEFAULT_PUNCTUATION));
    Limits limits = new Limits(config.integer(MAX_SPANS, DEFAULT_MAX_SPANS),
        config.longValue(MAX_BYTES, DEFAULT_MAX_BYTES));
    return new AggregatorSettings(timing, limits, BoundedRocksDbConfig.Bounds.from(config));
  }

  /** The largest encoded trace the caps allow: what the producer and the topic must accept. */
  static long maxTraceRecordBytes(Limits limits) {
    return limits.maxBytes() + OVERHEAD_PER_SPAN * limits.maxSpans() + OVERHEAD;
  }

  /** Streams settings this stage needs on top of the common ones. */
  Properties streamsOverrides() {
    Properties props = new Properties();
    // The producer checks the uncompressed record against max.request.size; the topic's max.message.bytes
    // (16 MiB in the catalogue) bounds the compressed batch, so a trace at the caps always fits both.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        Topics.TRACES.maxMessageBytes());
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
    // A span that cannot be read or processed goes to the dead-letter topic with its bytes and the exception in
    // headers, and is logged; it neither stops the stage nor vanishes.
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.SPANS_DLQ.name());
    props.putAll(rocksDb.asConfig());
    return props;
  }
}
