package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.ArrivalSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.time.BoundedTimestampExtractor;
import dev.tracepipe.platform.time.ClockMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The aggregator's bounded trust in clocks: producers' record timestamps and tracers' span times. */
class ClockTrustTest {

  private static final String TRACE = "000000000000000000000000000000c1";

  @Test
  void aSpanFromAFastClockIsKeptCountedAndFlaggedOnItsTrace() {
    long t0 = DriverFixture.T0.toEpochMilli();
    Span honest = TestSpans.span(TRACE, "00000000000000c1", null, "web", t0 - 100, 50).build();
    Span fast = TestSpans.span(TRACE, "00000000000000c2", "00000000000000c1", "cart", t0 + 600_000, 5).build();
    try (DriverFixture f = new DriverFixture(Timing.withGap(Duration.ofSeconds(30)))) {
      f.send(honest, fast).advanceWall(Duration.ofSeconds(31));
      List<Trace> out = f.emitted();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getSpanCount()).isEqualTo(2);
      assertThat(out.get(0).getQuality().getArrivalClockSkew())
          .containsExactly(new ArrivalSkew("00000000000000c2", "cart", 600_000_000_000L));
      assertThat(f.counter(ClockMetrics.METRIC, "stage", "aggregator", "reason", "clock_ahead")).isEqualTo(1);
      assertThat(f.counter(ClockMetrics.METRIC, "stage", "aggregator", "reason", "clock_behind")).isZero();
    }
  }

  @Test
  void aRecordStampedAheadOfTheWallClockIsReadAtTheWallClock() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    BoundedTimestampExtractor extractor = new BoundedTimestampExtractor(Duration.ofMinutes(1), meters, "aggregator");
    long before = System.currentTimeMillis();
    long fast = extractor.extract(record(before + 600_000), before);
    long honest = extractor.extract(record(before - 5_000), before);
    assertThat(fast).isBetween(before, System.currentTimeMillis());
    assertThat(honest).isEqualTo(before - 5_000);
    assertThat(meters.get("tracepipe.clock.record.timestamps.clamped").counter().count()).isEqualTo(1);
  }

  private static ConsumerRecord<Object, Object> record(long timestamp) {
    return new ConsumerRecord<>("spans", 0, 0L, timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
        0, 0, null, null, new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
  }
}
