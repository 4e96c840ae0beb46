package dev.tracepipe.schemas.topics;

import dev.tracepipe.avro.DependencyEdge;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/** The catalogue of every topic tracepipe reads or writes. User-facing names are fixed; internal ones are prefixed. */
public final class Topics {
  private static final int PARTITIONS = 4;
  private static final int MIB = 1024 * 1024;
  private static final String DELETE = TopicConfig.CLEANUP_POLICY_DELETE;
  private static final String COMPACT = TopicConfig.CLEANUP_POLICY_COMPACT;
  private static final String COMPACT_DELETE = COMPACT + "," + DELETE;

  /** Avro spans as our users' services produce them, any key. */
  public static final TopicSpec<byte[], Span> SPANS =
      new TopicSpec<>("spans", bytes(), avro(Span.class), PARTITIONS, DELETE, days(1), 2 * MIB);

  /** Batches from the OpenTelemetry Collector's Kafka exporter (otlp_proto or otlp_json). */
  public static final TopicSpec<byte[], byte[]> OTLP_SPANS =
      new TopicSpec<>("otlp_spans", bytes(), bytes(), PARTITIONS, DELETE, days(1), 8 * MIB);

  /** Span lists from Zipkin reporters (JSON v2 or proto3). */
  public static final TopicSpec<byte[], byte[]> ZIPKIN =
      new TopicSpec<>("zipkin", bytes(), bytes(), PARTITIONS, DELETE, days(1), 8 * MIB);

  /** Input that could not be read, with the reason in headers and the original bytes as the value. */
  public static final TopicSpec<byte[], byte[]> SPANS_DLQ =
      new TopicSpec<>("spans-dlq", bytes(), bytes(), PARTITIONS, DELETE, days(7), 8 * MIB);

  /**
   * Validated, normalised spans keyed by trace id, one record per trace and input message: what ingest writes and
   * trace assembly reads.
   */
  public static final TopicSpec<String, TraceFragment> TRACE_FRAGMENTS =
      new TopicSpec<>("tracepipe-trace-fragments", string(), avro(TraceFragment.class), PARTITIONS, DELETE, days(1),
          8 * MIB);

  /**
   * Validated, normalised spans keyed by trace id, one record per span: what ingest wrote before {@link
   * #TRACE_FRAGMENTS}. Trace assembly still reads it, so that spans written before an upgrade are assembled.
   */
  public static final TopicSpec<String, Span> CANONICAL_SPANS =
      new TopicSpec<>("tracepipe-canonical-spans", string(), avro(Span.class), PARTITIONS, DELETE, days(1), 2 * MIB);

  /** Assembled traces keyed by trace id; a later version replaces an earlier one. */
  public static final TopicSpec<String, Trace> TRACES =
      new TopicSpec<>("traces", string(), avro(Trace.class), PARTITIONS, COMPACT_DELETE, days(7), 16 * MIB);

  /** Service dependency edges per time window. */
  public static final TopicSpec<String, DependencyEdge> DEPENDENCY_EDGES =
      new TopicSpec<>("dependency-edges", string(), avro(DependencyEdge.class), PARTITIONS, DELETE, days(7), 2 * MIB);

  /** Latency percentiles per operation and time window. */
  public static final TopicSpec<String, OperationLatency> OPERATION_LATENCY =
      new TopicSpec<>("operation-latency", string(), avro(OperationLatency.class), PARTITIONS, DELETE, days(7), 2 * MIB);

  /** Outlier traces with their critical path, blame and structural difference. */
  public static final TopicSpec<String, LatencyAlert> LATENCY_ALERTS =
      new TopicSpec<>("latency-alerts", string(), avro(LatencyAlert.class), PARTITIONS, DELETE, days(30), 4 * MIB);

  /** Latest percentiles per operation, read by every instance as a global table. */
  public static final TopicSpec<String, OperationLatency> LATENCY_BASELINES =
      new TopicSpec<>("tracepipe-latency-baselines", string(), avro(OperationLatency.class), 1, COMPACT,
          Optional.empty(), 2 * MIB);

  /** Every topic in the catalogue, for creation at start. */
  public static final List<TopicSpec<?, ?>> ALL = List.of(SPANS, OTLP_SPANS, ZIPKIN, SPANS_DLQ, TRACE_FRAGMENTS, CANONICAL_SPANS,
      TRACES,
      DEPENDENCY_EDGES, OPERATION_LATENCY, LATENCY_ALERTS, LATENCY_BASELINES);

  private Topics() {}

  private static <T extends SpecificRecord> TopicSpec.SerdeFactory<T> avro(Class<T> type) {
    return (config, isKey) -> AvroSerde.specific(type).configured(config, isKey);
  }

  private static TopicSpec.SerdeFactory<String> string() {
    return (config, isKey) -> Serdes.String();
  }

  private static TopicSpec.SerdeFactory<byte[]> bytes() {
    return (config, isKey) -> Serdes.ByteArray();
  }

  private static Optional<Duration> days(int days) {
    return Optional.of(Duration.ofDays(days));
  }
}
