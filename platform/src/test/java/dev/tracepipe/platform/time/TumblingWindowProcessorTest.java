package dev.tracepipe.platform.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sums per key in 10 s windows with 5 s grace; the wall clock moves only by hand. */
class TumblingWindowProcessorTest {

  static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 10_000;
  static final TumblingWindowProcessor.Spec SPEC = new TumblingWindowProcessor.Spec("sums", "sums-open",
      Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofHours(1), 0);

  @TempDir Path stateDir;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ClockMetrics clockMetrics = new ClockMetrics(meters, "test");
  TopologyTestDriver driver;
  TestInputTopic<String, Long> in;
  TestOutputTopic<String, String> out;

  void start(Instant wall) {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), Serdes.Long().deserializer(), "in");
    topology.addProcessor("sum", () -> new TumblingWindowProcessor<>(SPEC, Serdes.String(), new Sum(),
        new EventTime(ClockSettings.defaults()), clockMetrics), "in");
    TumblingWindowProcessor.stores(SPEC, Serdes.String(), Serdes.Long())
        .forEach(store -> topology.addStateStore(store, "sum"));
    topology.addProcessor("print", Print::new, "sum");
    topology.addSink("out", "out", Serdes.String().serializer(), Serdes.String().serializer(), "print");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "windows-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(topology, props, wall);
    in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.Long().serializer());
    out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void theLastWindowClosesOnTheWallClockWhenInputStops() {
    start(Instant.ofEpochMilli(T0 + 1_000));
    in.pipeInput("a", 1L, T0 + 1_000);
    in.pipeInput("a", 2L, T0 + 9_000);
    // After a quiet second the clock runs on from the last record's time (T0 + 9 s) with the wall: 6.999 s later it is
    // 1 ms short of end + grace, and the next punctuation (every second on the wall clock) closes the window.
    driver.advanceWallClockTime(Duration.ofMillis(6_999));
    assertThat(out.isEmpty()).isTrue();
    assertThat(open("a", T0)).isTrue();
    driver.advanceWallClockTime(Duration.ofMillis(1));
    assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("a", (T0) + "-" + (T0 + 10_000) + "=3"));
    assertThat(open("a", T0)).isFalse();
  }

  @Test
  void aClockFarAheadOfTheWallIsCountedAtTheClockAndClosesNothing() {
    start(Instant.ofEpochMilli(T0 + 1_000));
    in.pipeInput("a", 1L, T0 + 1_000);
    in.pipeInput("a", 100L, T0 + 1_000 + Duration.ofMinutes(10).toMillis()); // a host ten minutes fast
    in.pipeInput("a", 2L, T0 + 2_000);
    assertThat(out.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(14));
    assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("a", T0 + "-" + (T0 + 10_000) + "=103"));
    assertThat(open("a", T0 + 10_000)).isFalse();
    assertThat(clockMetrics.count(Placement.Adjustment.CLOCK_AHEAD)).isEqualTo(1);
  }

  @Test
  void aValueForAClosedWindowIsCountedInTheCurrentOne() {
    start(Instant.ofEpochMilli(T0 + 1_000));
    in.pipeInput("a", 1L, T0 + 1_000);
    in.pipeInput("a", 2L, T0 + 16_000); // closes [T0, T0 + 10 s)
    in.pipeInput("a", 4L, T0 + 3_000); // late: counted at the clock, in [T0 + 10 s, T0 + 20 s)
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertThat(out.readValuesToList()).containsExactly(T0 + "-" + (T0 + 10_000) + "=1",
        (T0 + 10_000) + "-" + (T0 + 20_000) + "=6");
    assertThat(clockMetrics.count(Placement.Adjustment.LATE)).isEqualTo(1);
  }

  @Test
  void aReplayClosesWindowsOnStreamTimeNotOnTheWallClock() {
    start(Instant.ofEpochMilli(T0 + Duration.ofDays(2).toMillis()));
    in.pipeInput("a", 1L, T0 + 1_000);
    driver.advanceWallClockTime(Duration.ofMinutes(5));
    assertThat(out.isEmpty()).isTrue(); // two days behind the wall clock: the wall decides nothing
    in.pipeInput("a", 2L, T0 + 14_000);
    assertThat(out.isEmpty()).isTrue();
    in.pipeInput("b", 2L, T0 + 15_000);
    assertThat(out.readValuesToList()).containsExactly(T0 + "-" + (T0 + 10_000) + "=1");
    assertThat(clockMetrics.count(Placement.Adjustment.LATE)).isZero();
  }

  private boolean open(String key, long start) {
    KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> index = driver.getKeyValueStore("sums-open");
    return OpenWindows.isOpen(index, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), start);
  }

  static final class Sum implements TumblingWindowProcessor.Policy<String, Long, Long> {
    @Override
    public Long initial() {
      return 0L;
    }

    @Override
    public Long add(String key, Long value, Long aggregate) {
      return aggregate + value;
    }

    @Override
    public boolean relocateWhenLate(Long value) {
      return true;
    }
  }

  static final class Print implements Processor<Windowed<String>, Long, String, String> {
    private ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
    }

    @Override
    public void process(Record<Windowed<String>, Long> record) {
      context.forward(new Record<>(record.key().key(),
          record.key().window().start() + "-" + record.key().window().end() + "=" + record.value(),
          record.timestamp()));
    }
  }

}
