package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * CPU nanoseconds per span of the aggregator's own processing: the real topology with RocksDB stores in a
 * TopologyTestDriver, fed the shared SmartThings sample (175 spans) under fresh trace ids, one record per span as ingest
 * writes them, each trace emitted when the gap passes and purged later. Thread CPU time of the driving thread, which
 * runs the processor, less that of the same driver copying the same records. Not a test: run it by hand, e.g.
 * {@code java -cp <test classpath> dev.tracepipe.aggregator.ProcessingCost 20} (seconds per measurement).
 */
public final class ProcessingCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Duration GAP = Duration.ofSeconds(30);
  private static final int TRACES_PER_ROUND = 50;

  private ProcessingCost() {}

  public static void main(String[] args) {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
    Map<String, String> config = Map.of("schema.registry.url", "mock://processing-cost-" + UUID.randomUUID());
    Serializer<Span> spans = Topics.CANONICAL_SPANS.valueSerde(config).serializer();
    List<Span> sample = ZipkinJson.sample("smartthings-oauth-authorization.json");
    AggregatorTopology topology = new AggregatorTopology("fragments", "canonical", "traces", Timing.withGap(GAP),
        new Limits(AggregatorSettings.DEFAULT_MAX_SPANS, AggregatorSettings.DEFAULT_MAX_BYTES), config,
        new SimpleMeterRegistry());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processing-cost");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/processing-cost-"
        + UUID.randomUUID());
    props.putAll(config);
    Instant start = Instant.ofEpochMilli(sample.get(0).getStartTimeNanos() / 1_000_000);
    // The driver's own cost per record (it commits after every record), measured on a topology that only copies.
    Topology copy = new Topology();
    copy.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "canonical")
        .addSink("out", "traces", new ByteArraySerializer(), new ByteArraySerializer(), "in");
    double driverAlone = measure(copy, props, sample, spans, start, seconds / 2);
    double aggregator = measure(topology.get(), props, sample, spans, start, seconds);
    System.out.printf("aggregator in the driver %.0f ns CPU per span, the driver copying the same records %.0f,"
        + " difference %.0f%n", aggregator, driverAlone, aggregator - driverAlone);
  }

  private static double measure(Topology topology, Properties props, List<Span> sample, Serializer<Span> spans,
      Instant start, long seconds) {
    double nanosPerSpan = 0;
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, start)) {
      TestInputTopic<String, byte[]> in = driver.createInputTopic("canonical", new StringSerializer(),
          new ByteArraySerializer());
      TestOutputTopic<String, byte[]> out = driver.createOutputTopic("traces", new StringDeserializer(),
          new ByteArrayDeserializer());
      long[] round = {0};
      for (String label : List.of("warm-up", "measured")) {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long setUp = 0;
        long piped = 0;
        long emitted = 0;
        while (System.nanoTime() < end) {
          long setUpStart = THREADS.getCurrentThreadCpuTime();
          List<byte[]> values = new ArrayList<>();
          List<String> keys = new ArrayList<>();
          for (int t = 0; t < TRACES_PER_ROUND; t++) {
            String traceId = String.format(Locale.ROOT, "%016x%016x", round[0], t);
            for (Span span : sample) {
              keys.add(traceId);
              values.add(spans.serialize(Topics.CANONICAL_SPANS.name(),
                  Span.newBuilder(span).setTraceId(traceId).build()));
            }
          }
          Instant at = start.plus(GAP.plusSeconds(1).multipliedBy(round[0]));
          setUp += THREADS.getCurrentThreadCpuTime() - setUpStart;
          for (int i = 0; i < values.size(); i++) {
            in.pipeInput(keys.get(i), values.get(i), at);
          }
          driver.advanceWallClockTime(GAP.plusSeconds(1));
          emitted += out.readValuesToList().size();
          piped += values.size();
          round[0]++;
        }
        nanosPerSpan = (THREADS.getCurrentThreadCpuTime() - cpuStart - setUp) / (double) piped;
        System.out.printf("%s: %d spans, %d records out, %.0f ns CPU per span%n", label, piped, emitted,
            nanosPerSpan);
      }
    }
    return nanosPerSpan;
  }
}
