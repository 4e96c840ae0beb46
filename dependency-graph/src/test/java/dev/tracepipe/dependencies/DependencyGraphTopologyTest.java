package dev.tracepipe.dependencies;

import static dev.tracepipe.dependencies.Fixtures.at;
import static dev.tracepipe.dependencies.Fixtures.client;
import static dev.tracepipe.dependencies.Fixtures.failed;
import static dev.tracepipe.dependencies.Fixtures.server;
import static dev.tracepipe.dependencies.Fixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.avro.DependencyEdge;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.GoldenFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DependencyGraphTopologyTest {
  static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://dependency-graph-topology-test");
  static final DependencyGraphSettings SETTINGS = new DependencyGraphSettings(
      Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(2), 100, 1_000);
  static final long BASE_MILLIS = Fixtures.BASE_NANOS / 1_000_000;
  /** Start of the one-minute window that holds BASE_MILLIS (which lies 20 s into it). */
  static final long W0 = BASE_MILLIS - BASE_MILLIS % 60_000;
  static final long OFFSET_IN_W0 = BASE_MILLIS - W0;

  @TempDir Path stateDir;
  SimpleMeterRegistry meters;
  TopologyTestDriver driver;
  TestInputTopic<String, Trace> traces;
  TestOutputTopic<String, DependencyEdge> edges;

  static Topology topology(SimpleMeterRegistry meters) {
    return topology(SETTINGS, meters);
  }

  static Topology topology(DependencyGraphSettings settings, SimpleMeterRegistry meters) {
    return new DependencyGraphTopology(Topics.TRACES, Topics.DEPENDENCY_EDGES, SERDE, settings, meters).get();
  }

  @BeforeEach
  void start() {
    start(SETTINGS);
  }

  void start(DependencyGraphSettings settings) {
    if (driver != null) driver.close();
    meters = new SimpleMeterRegistry();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dependency-graph-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(topology(settings, meters), props);
    traces = driver.createInputTopic(Topics.TRACES.name(), new StringSerializer(),
        Topics.TRACES.valueSerde(SERDE).serializer());
    edges = driver.createOutputTopic(Topics.DEPENDENCY_EDGES.name(), new StringDeserializer(),
        Topics.DEPENDENCY_EDGES.valueSerde(SERDE).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  /** web's server span calls app: a client span with a server child, 40 ms and 30 ms long. */
  static Trace webCallsApp(String traceId, long startMillis) {
    return trace(traceId, 1, TraceCompletion.INACTIVITY_GAP,
        at(server("000000000000000a", null, "web"), startMillis, 100),
        at(client("000000000000000b", "000000000000000a", "web", "app"), startMillis + 5, 40),
        at(server("000000000000000c", "000000000000000b", "app"), startMillis + 10, 30));
  }

  /** Moves stream time of every sub-topology to the given offset from W0, with an unrelated call. */
  void advanceTo(long offsetFromW0) {
    long start = W0 + offsetFromW0 - BASE_MILLIS;
    traces.pipeInput("clock-" + offsetFromW0, trace("clock-" + offsetFromW0, 1, TraceCompletion.INACTIVITY_GAP,
        at(client("00000000000000f1", null, "clock", "tick"), start, 1)), W0 + offsetFromW0);
  }

  @Test
  void emitsEachEdgeWithCountsAndLatencyWhenItsWindowCloses() {
    traces.pipeInput(Fixtures.TRACE_ID, webCallsApp(Fixtures.TRACE_ID, 0), BASE_MILLIS);
    advanceTo(60_000 + 29_999);
    assertThat(edges.isEmpty()).as("window still within grace").isTrue();

    advanceTo(60_000 + 30_000);

    List<KeyValue<String, DependencyEdge>> out = edges.readKeyValuesToList();
    assertThat(out).extracting(kv -> kv.key).containsExactly("web|app|RPC");
    DependencyEdge edge = out.get(0).value;
    assertThat(List.of(edge.getParent(), edge.getChild(), edge.getConnectionType()))
        .containsExactly("web", "app", ConnectionType.RPC);
    assertThat(List.of(edge.getWindowStartMillis(), edge.getWindowEndMillis(), edge.getCallCount(), edge.getErrorCount()))
        .containsExactly(W0, W0 + 60_000, 1L, 0L);
    assertThat(edge.getLatency().getCount()).isEqualTo(1);
    assertThat((double) edge.getLatency().getP50Nanos()).as("client span duration")
        .isCloseTo(40_000_000, within(400_000.0));
  }

  @Test
  void callsWithinGraceAreCountedAndLaterOnesDropped() {
    traces.pipeInput("t1", webCallsApp("t1", 0), BASE_MILLIS);
    advanceTo(60_000 + 20_000);
    traces.pipeInput("t2", webCallsApp("t2", 1_000), BASE_MILLIS + 80_000); // late, within grace
    advanceTo(60_000 + 30_000);
    traces.pipeInput("t3", webCallsApp("t3", 2_000), BASE_MILLIS + 90_000); // window closed
    advanceTo(3 * 60_000);

    List<DependencyEdge> w0 = edges.readValuesToList().stream()
        .filter(e -> e.getWindowStartMillis() == W0 && e.getParent().equals("web")).toList();
    assertThat(w0).hasSize(1);
    assertThat(w0.get(0).getCallCount()).isEqualTo(2);
    assertThat(storedCalls(new EdgeKey("web", "app", ConnectionType.RPC), W0)).isEqualTo(2);
  }

  @Test
  void laterVersionsCountOnlyTheirDifference() {
    Span root = server("000000000000000a", null, "web");
    Span call = client("000000000000000b", "000000000000000a", "web", "app");
    traces.pipeInput("t1", trace("t1", 1, TraceCompletion.INACTIVITY_GAP, root, call), BASE_MILLIS);
    assertThat(storedCalls(new EdgeKey("web", "app", ConnectionType.VIRTUAL), W0)).isEqualTo(1);

    // The server half arrives late: the call is now an RPC to an instrumented service, and failed.
    Span serverHalf = failed(server("000000000000000c", "000000000000000b", "app"));
    traces.pipeInput("t1", trace("t1", 2, TraceCompletion.LATE_UPDATE, root, call, serverHalf), BASE_MILLIS + 1);
    assertThat(storedCalls(new EdgeKey("web", "app", ConnectionType.VIRTUAL), W0)).isZero();
    assertThat(storedCalls(new EdgeKey("web", "app", ConnectionType.RPC), W0)).isEqualTo(1);

    // A replay of the first version changes nothing.
    traces.pipeInput("t1", trace("t1", 1, TraceCompletion.INACTIVITY_GAP, root, call), BASE_MILLIS + 2);
    // A fragment of late spans adds its own calls, once.
    Span dbCall = Span.newBuilder(client("000000000000000d", "000000000000000c", "app", null))
        .setRemote(RemotePeer.newBuilder().setDbSystem("postgresql").build()).build();
    Trace fragment = trace("t1", 3, TraceCompletion.LATE_FRAGMENT, dbCall);
    traces.pipeInput("t1", fragment, BASE_MILLIS + 3);
    traces.pipeInput("t1", fragment, BASE_MILLIS + 4);
    advanceTo(60_000 + 30_000);

    assertThat(edges.readValuesToList().stream().filter(e -> !e.getParent().equals("clock"))
        .map(e -> e.getParent() + ">" + e.getChild() + ":" + e.getConnectionType() + " calls="
            + e.getCallCount() + " errors=" + e.getErrorCount()))
        .containsExactlyInAnyOrder("web>app:RPC calls=1 errors=1", "app>postgresql:DATABASE calls=1 errors=0");
    assertThat(meters.get("tracepipe.dependencies.stale.traces").counter().count()).isEqualTo(1);
  }

  @Test
  void recordsServiceGraphMetrics() {
    traces.pipeInput("t1", webCallsApp("t1", 0), BASE_MILLIS);
    traces.pipeInput("t2", trace("t2", 1, TraceCompletion.INACTIVITY_GAP,
        at(failed(client("0000000000000001", null, "web", "app")), 0, 10)), BASE_MILLIS);

    var tags = List.of(io.micrometer.core.instrument.Tag.of("client", "web"),
        io.micrometer.core.instrument.Tag.of("server", "app"),
        io.micrometer.core.instrument.Tag.of("connection_type", "rpc"));
    assertThat(meters.get("traces.service.graph.request").tags(tags).counter().count()).isEqualTo(1);
    assertThat(meters.get("traces.service.graph.request.server").tags(tags).timer().count()).isEqualTo(1);
    assertThat(meters.get("traces.service.graph.request.client").tags(tags).timer().count()).isEqualTo(1);
    assertThat(meters.find("traces.service.graph.request.failed").tags("connection_type", "virtual")
        .counter().count()).isEqualTo(1);
  }

  @Test
  void edgesPastTheWindowCapAreCountedInTheOverflowEdgeWithTheirCorrections() {
    start(new DependencyGraphSettings(SETTINGS.window(), SETTINGS.grace(), SETTINGS.traceMemory(),
        SETTINGS.retention(), 100, 2));
    List<String> callees = List.of("a", "b", "c", "d", "a");
    for (int i = 0; i < callees.size(); i++) {
      traces.pipeInput("cap-" + i, trace("cap-" + i, 1, TraceCompletion.INACTIVITY_GAP,
          client("00000000000000c1", null, "web", callees.get(i))), BASE_MILLIS);
    }
    // c's callee answers: its uninstrumented call is retracted and an RPC counted, both under the overflow edges.
    traces.pipeInput("cap-2", trace("cap-2", 2, TraceCompletion.LATE_UPDATE,
        client("00000000000000c1", null, "web", "c"), server("00000000000000c2", "00000000000000c1", "c")),
        BASE_MILLIS + 1);
    advanceTo(60_000 + 30_000);

    assertThat(edges.readValuesToList().stream().filter(e -> e.getWindowStartMillis() == W0)
        .map(e -> e.getParent() + ">" + e.getChild() + ":" + e.getConnectionType() + " calls=" + e.getCallCount()))
        .containsExactlyInAnyOrder("web>a:VIRTUAL calls=2", "web>b:VIRTUAL calls=1",
            "__overflow__>__overflow__:VIRTUAL calls=1", "__overflow__>__overflow__:RPC calls=1");
    assertThat(meters.get(DependencyGraphStage.EDGE_OVERFLOW_METRIC).counter().count())
        .as("new calls of c (twice) and d").isEqualTo(3);
  }

  @Test
  void topologyMatchesGoldenDescription() throws IOException {
    String described = topology(new SimpleMeterRegistry()).describe().toString();
    GoldenFile.assertMatches(Path.of("src/test/resources/dependency-graph-topology.txt"), described);
  }

  long storedCalls(EdgeKey edge, long windowStart) {
    WindowStore<EdgeKey, EdgeStats> store = driver.getWindowStore(DependencyGraphTopology.EDGE_STORE);
    Map<Long, Long> calls = new HashMap<>();
    try (KeyValueIterator<Windowed<EdgeKey>, EdgeStats> all = store.all()) {
      all.forEachRemaining(kv -> {
        if (kv.key.key().equals(edge)) calls.put(kv.key.window().start(), kv.value.calls());
      });
    }
    return Objects.requireNonNullElse(calls.get(windowStart), 0L);
  }

}
