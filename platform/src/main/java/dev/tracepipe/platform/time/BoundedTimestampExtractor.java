package dev.tracepipe.platform.time;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Record timestamps as stream time, but never more than the future tolerance past this process's wall clock: a
 * producer on a host with a fast clock stamps its records with that clock, and one such record would otherwise move
 * the task's stream time (and close everything stream time closes) for every other record.
 */
public final class BoundedTimestampExtractor implements TimestampExtractor {

  private final long toleranceMs;
  private final Counter clamped;

  public BoundedTimestampExtractor(Duration futureTolerance, MeterRegistry meters, String stage) {
    this.toleranceMs = Objects.requireNonNull(futureTolerance, "futureTolerance == null").toMillis();
    this.clamped = Counter.builder("tracepipe.clock.record.timestamps.clamped").tag("stage", stage)
        .description("Input records whose timestamp ran ahead of the wall clock, read as the wall clock")
        .register(meters);
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
      return wall;
    }
    return timestamp;
  }
}
