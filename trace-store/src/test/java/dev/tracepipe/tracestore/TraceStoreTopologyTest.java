package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.TraceFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceStoreTopologyTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final String TRACE = "0000000000000000000000000000abcd";
  static final long START_NANOS = T0.toEpochMilli() * 1_000_000;

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TraceStoreSettings settings = new TraceStoreSettings(Duration.ofHours(1), Duration.ofMinutes(1),
      List.of("http.method"), 2, 1000, Duration.ofSeconds(5), "");
  final Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://trace-store-" + UUID.randomUUID());
  TopologyTestDriver driver;
  TestInputTopic<String, Trace> traces;

  @BeforeEach
  void start() {
    TraceStoreTopology topology = new TraceStoreTopology(Topics.TRACES, serdeConfig, settings,
        new TraceStoreMetrics(meters));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "trace-store-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/trace-store-ttd-"
        + UUID.randomUUID());
    props.putAll(serdeConfig);
    driver = new TopologyTestDriver(topology.get(), props, T0);
    traces = driver.createInputTopic(Topics.TRACES.name(), Serdes.String().serializer(),
        Topics.TRACES.valueSerde(serdeConfig).serializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void describeMatchesTheGoldenFile() throws IOException {
    String actual = new TraceStoreTopology(Topics.TRACES, Map.of("schema.registry.url", "mock://golden"),
        TraceStoreSettings.defaults(), new TraceStoreMetrics(new SimpleMeterRegistry())).get().describe().toString();
    String expected;
    try (InputStream in = getClass().getResourceAsStream("/trace-store-topology.txt")) {
      assertThat(in).as("golden file trace-store-topology.txt; actual description:%n%s", actual).isNotNull();
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(actual.strip()).isEqualTo(expected.strip());
  }

  @Test
  void indexesATraceUnderEachServiceAndAnyServiceAndRemembersItsNames() {
    send(trace(1, span("00000000000000a1", null, "Web", "GET /cart"), span("00000000000000a2", "00000000000000a1",
        "cart", "load")), T0);

    assertThat(searchKeys()).containsExactly(
        IndexKeys.search("", T0.toEpochMilli() * 1000, TRACE),
        IndexKeys.search("cart", T0.toEpochMilli() * 1000, TRACE),
        IndexKeys.search("web", T0.toEpochMilli() * 1000, TRACE));
    assertThat(names()).containsExactlyInAnyOrder(
        IndexKeys.name(IndexKeys.SERVICE, null, "web"), IndexKeys.name(IndexKeys.SERVICE, null, "cart"),
        IndexKeys.name(IndexKeys.SPAN_NAME, "web", "get /cart"), IndexKeys.name(IndexKeys.SPAN_NAME, "cart", "load"),
        IndexKeys.name(IndexKeys.REMOTE_SERVICE, "web", "payments"),
        IndexKeys.name(IndexKeys.REMOTE_SERVICE, "cart", "payments"),
        IndexKeys.name(IndexKeys.TAG_VALUE, "http.method", "GET"));
  }

  @Test
  void laterVersionReplacesTheEarlierAndItsIndexEntries() {
    send(trace(1, span("00000000000000a1", null, "web", "root")), T0);
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    send(trace(2, span("00000000000000a1", null, "web", "root"), span("00000000000000a2", "00000000000000a1",
        "cart", "load")), T0.plusSeconds(5));

    assertThat(stored().getVersion()).isEqualTo(2);
    assertThat(stored().getSpans()).hasSize(2);
    long micros = T0.toEpochMilli() * 1000;
    assertThat(searchKeys()).containsExactly(IndexKeys.search("", micros, TRACE),
        IndexKeys.search("cart", micros, TRACE), IndexKeys.search("web", micros, TRACE));
    assertThat(keys(TraceStoreTopology.EXPIRY_STORE)).containsExactly(
        IndexKeys.expiry(T0.plusSeconds(5).toEpochMilli(), TRACE));
  }

  @Test
  void earlierOrEqualVersionArrivingLateIsIgnoredAndCounted() {
    send(trace(3, span("00000000000000a1", null, "web", "root"), span("00000000000000a2", "00000000000000a1",
        "cart", "load")), T0);
    send(trace(2, span("00000000000000a1", null, "web", "root")), T0.plusSeconds(1));
    send(trace(3, span("00000000000000a1", null, "web", "root")), T0.plusSeconds(2));

    assertThat(stored().getSpans()).hasSize(2);
    assertThat(meters.get("tracepipe.trace.store.versions.stale").counter().count()).isEqualTo(2.0);
  }

  @Test
  void lateFragmentAddsItsSpansToTheStoredTrace() {
    send(trace(1, span("00000000000000a1", null, "web", "root")), T0);
    Trace fragment = TraceFixtures.trace(TRACE, 1, TraceCompletion.LATE_FRAGMENT,
        List.of(span("00000000000000a9", "00000000000000a1", "mail", "send")));
    send(fragment, T0.plusSeconds(600));

    assertThat(stored().getSpans()).extracting(Span::getSpanId).containsExactly("00000000000000a1", "00000000000000a9");
    assertThat(searchKeys()).contains(IndexKeys.search("mail", T0.toEpochMilli() * 1000, TRACE));
  }

  @Test
  void retentionDropsTheTraceItsIndexEntriesAndNamesOnTheWallClock() {
    send(trace(1, span("00000000000000a1", null, "web", "root")), T0);
    driver.advanceWallClockTime(Duration.ofMinutes(59));
    assertThat(driver.<String, Trace>getTimestampedKeyValueStore(TraceStoreTopology.TRACE_STORE).get(TRACE))
        .as("kept within the retention").isNotNull();

    driver.advanceWallClockTime(Duration.ofMinutes(2));

    assertThat(driver.<String, Trace>getTimestampedKeyValueStore(TraceStoreTopology.TRACE_STORE).get(TRACE)).isNull();
    assertThat(searchKeys()).isEmpty();
    assertThat(keys(TraceStoreTopology.EXPIRY_STORE)).isEmpty();
    assertThat(names()).isEmpty();
    assertThat(meters.get("tracepipe.trace.store.traces.expired").counter().count()).isEqualTo(1.0);
  }

  @Test
  void traceStampedInTheFutureAgesFromWhenItWasStored() {
    send(trace(1, span("00000000000000a1", null, "web", "root")), T0.plus(Duration.ofDays(30)));
    driver.advanceWallClockTime(Duration.ofMinutes(61));
    assertThat(driver.<String, Trace>getTimestampedKeyValueStore(TraceStoreTopology.TRACE_STORE).get(TRACE)).isNull();
  }

  @Test
  void autocompleteValuesStopAtTheCapAndTheDropIsCounted() {
    for (String method : List.of("GET", "POST", "PUT")) {
      Span span = Span.newBuilder(span("00000000000000a1", null, "web", "root"))
          .setTraceId(TRACE.replace("abcd", method.length() + "" + method.hashCode() % 9)).setAttributes(
              Map.of("http.method", method)).build();
      send(TraceFixtures.trace(span.getTraceId(), 1, TraceCompletion.INACTIVITY_GAP, List.of(span)), T0);
    }
    assertThat(names()).filteredOn(n -> n.startsWith(IndexKeys.TAG_VALUE)).hasSize(2);
    assertThat(meters.get("tracepipe.trace.store.autocomplete.dropped").counter().count()).isEqualTo(1.0);
  }

  @Test
  void traceZipkinCannotRepresentIsCountedNotStored() {
    Span bad = Span.newBuilder(span("not-a-hex-id!!!!", null, "web", "root")).build();
    send(trace(1, bad), T0);
    assertThat(driver.<String, Trace>getTimestampedKeyValueStore(TraceStoreTopology.TRACE_STORE).get(TRACE)).isNull();
    assertThat(meters.get("tracepipe.trace.store.traces.rejected").counter().count()).isEqualTo(1.0);
  }

  void send(Trace trace, Instant recordTime) {
    traces.pipeInput(new TestRecord<>(trace.getTraceId(), trace, recordTime));
  }

  Trace stored() {
    ValueAndTimestamp<Trace> stored =
        driver.<String, Trace>getTimestampedKeyValueStore(TraceStoreTopology.TRACE_STORE).get(TRACE);
    assertThat(stored).isNotNull();
    return stored.value();
  }

  List<String> searchKeys() {
    return keys(TraceStoreTopology.SEARCH_STORE);
  }

  List<String> names() {
    List<String> out = new ArrayList<>();
    KeyValueStore<String, Long> store = driver.getKeyValueStore(TraceStoreTopology.NAME_STORE);
    try (KeyValueIterator<String, Long> it = store.all()) {
      it.forEachRemaining(kv -> out.add(kv.key));
    }
    return out;
  }

  List<String> keys(String storeName) {
    List<String> out = new ArrayList<>();
    KeyValueStore<String, String> store = driver.getKeyValueStore(storeName);
    try (KeyValueIterator<String, String> it = store.all()) {
      it.forEachRemaining((KeyValue<String, String> kv) -> out.add(kv.key));
    }
    return out;
  }

  static Trace trace(int version, Span... spans) {
    return TraceFixtures.trace(TRACE, version, TraceCompletion.INACTIVITY_GAP, List.of(spans));
  }

  static Span span(String id, String parent, String service, String name) {
    return Span.newBuilder().setTraceId(TRACE).setSpanId(id).setParentSpanId(parent).setService(service)
        .setName(name).setKind(parent == null ? SpanKind.SERVER : SpanKind.CLIENT)
        .setStartTimeNanos(START_NANOS + (parent == null ? 0 : 1_000_000)).setDurationNanos(5_000_000)
        .setAttributes(Map.of("http.method", "GET"))
        .setRemote(dev.tracepipe.avro.RemotePeer.newBuilder().setService("payments").build()).build();
  }
}
