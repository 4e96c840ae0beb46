package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.platform.BoundedRocksDbConfig;
import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The aggregator's configuration, read from {@code aggregator.*} keys (each declared below and listed in
 * CONFIGURATION.md).
 *
 * @param timing completion and retention times
 * @param limits per-trace span and byte caps
 * @param rocksDb memory bounds of the state stores
 */
public record AggregatorSettings(Timing timing, Limits limits, BoundedRocksDbConfig.Bounds rocksDb) {

  static final int DEFAULT_MAX_SPANS = 10_000;
  static final long DEFAULT_MAX_BYTES = 12L * 1024 * 1024;
  public static final Setting GAP = Setting.of("aggregator.inactivity.gap", Timing.DEFAULT_GAP,
      "a trace is emitted when no span of it has arrived for this long");
  public static final Setting MAX_DURATION = Setting.of("aggregator.max.trace.duration", Timing.DEFAULT_MAX_DURATION,
      "a trace completes at the latest this long after its first span");
  public static final Setting LATE_RETENTION = Setting.of("aggregator.late.retention", "",
      "after emission, spans are kept this long so a late span re-emits the whole trace; twice the gap when not set");
  public static final Setting MARKER_RETENTION = Setting.of("aggregator.marker.retention",
      Timing.DEFAULT_MARKER_RETENTION, "after that, a marker of the trace id is kept this long so a later span becomes a fragment of it");
  public static final Setting PUNCTUATION = Setting.of("aggregator.punctuation.interval", Timing.DEFAULT_PUNCTUATION,
      "how often wall-clock and stream-time punctuation look for due traces");
  public static final Setting MAX_SPANS = Setting.of("aggregator.max.spans.per.trace", DEFAULT_MAX_SPANS,
      "spans kept per trace; more are dropped and counted");
  public static final Setting MAX_BYTES = Setting.of("aggregator.max.trace.bytes", DEFAULT_MAX_BYTES,
      "encoded span bytes kept per trace; more are dropped and counted");
  static final int DEFAULT_STREAM_THREADS = 2;
  public static final Setting STREAM_THREADS = Setting.of("aggregator.stream.threads", DEFAULT_STREAM_THREADS,
      "stream threads of the aggregator, the stage with the most work per span (at most "
          + TracepipeConfig.TOPIC_PARTITIONS + " when that is lower); "
          + "`aggregator.streams.num.stream.threads` wins over it, and it wins over `streams.num.stream.threads`");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(GAP, MAX_DURATION, LATE_RETENTION, MARKER_RETENTION, PUNCTUATION,
      MAX_SPANS, MAX_BYTES, STREAM_THREADS);
  /** Room for a trace's fields other than its spans: services, skew entries (two per span at most, and at most 100
   * arrival skews), quality. */
  static final long OVERHEAD_PER_SPAN = 128;
  static final long OVERHEAD = 64 * 1024;

  public AggregatorSettings {
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
    Duration gap = GAP.duration(config);
    Timing timing = new Timing(gap,
        MAX_DURATION.duration(config),
        LATE_RETENTION.find(config).isPresent() ? LATE_RETENTION.duration(config) : gap.multipliedBy(2),
        MARKER_RETENTION.duration(config),
        PUNCTUATION.duration(config));
    Limits limits = new Limits(MAX_SPANS.integer(config), MAX_BYTES.longValue(config));
    return new AggregatorSettings(timing, limits, BoundedRocksDbConfig.Bounds.from(config));
  }

  /**
   * The aggregator's stream threads: its own streams key, then {@link #STREAM_THREADS}, then the streams key of every
   * stage, then the default, which is no more than the partitions topics are created with (a thread without a
   * partition would idle).
   */
  static int streamThreads(TracepipeConfig config) {
    String common = TracepipeConfig.STREAMS_PREFIX + StreamsConfig.NUM_STREAM_THREADS_CONFIG;
    for (String key : List.of(AggregatorStage.NAME + "." + common, STREAM_THREADS.key(), common)) {
      Optional<String> value = config.find(key);
      if (value.isPresent()) {
        return positive(key, value.get());
      }
    }
    return Math.max(1, Math.min(DEFAULT_STREAM_THREADS,
        config.integer(TracepipeConfig.TOPIC_PARTITIONS, DEFAULT_STREAM_THREADS)));
  }

  private static int positive(String key, String value) {
    try {
      int threads = Integer.parseInt(value);
      if (threads >= 1) {
        return threads;
      }
    } catch (NumberFormatException e) {
      // reported below with the key
    }
    throw new IllegalArgumentException(key + " must be a positive number of threads: " + value);
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
    // RocksDB bounds and the dead-letter handlers come from the platform's properties, shared by every stage.
    props.putAll(rocksDb.asConfig());
    return props;
  }
}
