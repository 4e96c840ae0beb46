package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver around the aggregator, with both clocks under the test's control. */
final class DriverFixture implements AutoCloseable {

  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<String, Span> spans;
  final TestInputTopic<String, TraceFragment> fragments;
  final TestOutputTopic<String, Trace> traces;
  private final AvroSerde<Span> spanSerde;
  private Instant streamTime = T0;

  DriverFixture(Timing timing, Limits limits) {
    Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://aggregator-" + UUID.randomUUID());
    AggregatorTopology topology = new AggregatorTopology("fragments-in", "spans-in", "traces-out", timing, limits,
        serdeConfig, meters);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/aggregator-ttd-"
        + UUID.randomUUID());
    props.putAll(serdeConfig);
    driver = new TopologyTestDriver(topology.get(), props, T0);
    spanSerde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    AvroSerde<Trace> traceSerde = AvroSerde.specific(Trace.class).configured(serdeConfig, false);
    spans = driver.createInputTopic("spans-in", Serdes.String().serializer(), spanSerde.serializer());
    fragments = driver.createInputTopic("fragments-in", Serdes.String().serializer(),
        AvroSerde.specific(TraceFragment.class).configured(serdeConfig, false).serializer());
    traces = driver.createOutputTopic("traces-out", Serdes.String().deserializer(), traceSerde.deserializer());
  }

  DriverFixture(Timing timing) {
    this(timing, new Limits(AggregatorSettings.DEFAULT_MAX_SPANS, AggregatorSettings.DEFAULT_MAX_BYTES));
  }

  /** Pipes spans with the current stream time as their record timestamp; the wall clock does not move. */
  DriverFixture send(Span... batch) {
    for (Span span : batch) {
      spans.pipeInput(new TestRecord<>(span.getTraceId(), span, streamTime));
    }
    return this;
  }

  DriverFixture send(List<Span> batch) {
    return send(batch.toArray(Span[]::new));
  }

  /** A span as the span store holds it: framed as the store's serde frames it. */
  byte[] storedSpan(Span span) {
    return spanSerde.serialize("aggregator-test-" + AggregatorTopology.SPAN_STORE + "-changelog", span);
  }

  /** Pipes one trace fragment under a key, as ingest writes the spans of a trace from one message. */
  DriverFixture sendFragment(String key, Span... spans) {
    fragments.pipeInput(new TestRecord<>(key, new TraceFragment(List.of(spans)), streamTime));
    return this;
  }

  /** Moves stream time for the next records (records must arrive to make it count). */
  DriverFixture streamTime(Duration sinceT0) {
    streamTime = T0.plus(sinceT0);
    return this;
  }

  DriverFixture advanceWall(Duration duration) {
    driver.advanceWallClockTime(duration);
    return this;
  }

  List<Trace> emitted() {
    return traces.readValuesToList();
  }

  double counter(String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }

  double gauge(String name) {
    return meters.get(name).gauge().value();
  }

  @Override
  public void close() {
    driver.close();
  }
}
