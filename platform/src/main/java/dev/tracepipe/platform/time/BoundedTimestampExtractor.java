package dev.tracepipe.platform.time;

import dev.tracepipe.platform.BoundedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.slf4j.LoggerFactory;

/**
 * Record timestamps as stream time, but never more than the future tolerance past this process's wall clock: a
 * producer on a host with a fast clock stamps its records with that clock, and one such record would otherwise move
 * the task's stream time (and close everything stream time closes) for every other record. It also keeps such a time
 * off what the stage writes: its changelog records carry the input's timestamp, and the broker refuses one stamped over
 * an hour ahead ({@code message.timestamp.after.max.ms}), which aborts the transaction and kills the stream thread on
 * the same record again and again.
 */
public final class BoundedTimestampExtractor implements TimestampExtractor {
  /** Input records whose timestamp ran ahead of the wall clock, by stage. */
  public static final String METRIC = "tracepipe.clock.record.timestamps.clamped";

  private static final BoundedLog LOG = new BoundedLog(LoggerFactory.getLogger(BoundedTimestampExtractor.class));

  private final long toleranceMs;
  private final Counter clamped;
  private final String stage;

  public BoundedTimestampExtractor(Duration futureTolerance, MeterRegistry meters, String stage) {
    this.toleranceMs = Objects.requireNonNull(futureTolerance, "futureTolerance == null").toMillis();
    this.stage = Objects.requireNonNull(stage, "stage == null");
    this.clamped = Counter.builder(METRIC).tag("stage", stage)
        .description("Input records whose timestamp ran ahead of the wall clock, read as the wall clock")
        .register(meters);
  }

  /** The stage's own: its future tolerance, counted in the registry and under the stage of its clock metrics. */
  public BoundedTimestampExtractor(EventTime eventTime, ClockMetrics clockMetrics) {
    this(eventTime.settings().futureTolerance(), clockMetrics.registry(), clockMetrics.stage());
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long timestamp = record.timestamp();
    // The one wall-clock read outside punctuation, deliberately: it bounds how far a foreign clock may move ours.
    long wall = System.currentTimeMillis();
    if (timestamp < 0) {
      return Math.max(partitionTime, 0) > 0 ? partitionTime : wall;
    }
    if (timestamp > wall + toleranceMs) {
      clamped.increment();
      LOG.warn(stage + ": records stamped past the wall clock plus clock.future-tolerance read at the wall clock ("
          + METRIC + ")", record.topic() + "-" + record.partition() + "@" + record.offset() + " stamped " + timestamp);
      return wall;
    }
    return timestamp;
  }
}
