package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.Span;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;

/**
 * Spans per second of the aggregator alone, on a real broker, for small and large traces, so the per-span cost of
 * both can be compared side by side. Not a test: run it by hand (see the aggregator's RATIONALE.md).
 *
 * <p>Each run preloads the input topic, then starts the aggregator (exactly-once, RocksDB stores) and times how long it
 * takes to read every span, and to emit every trace.
 */
public final class AggregatorBench {

  private record Result(String shape, int spans, double readSeconds, double emitSeconds) {
    double spansPerSecond() {
      return spans / readSeconds;
    }

    double microsPerSpan() {
      return readSeconds * 1e6 / spans;
    }
  }

  private AggregatorBench() {}

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Timing timing = new Timing(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(2),
        Duration.ofMinutes(10), Duration.ofMillis(100));
    try (KafkaTestCluster cluster = KafkaTestCluster.start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0)) {
      run(cluster, registry, "warm-up", 10, Math.max(10, spans / 5), timing);
      Result small = run(cluster, registry, "10-span traces", 10, spans, timing);
      Result large = run(cluster, registry, "1,000-span traces", 1_000, spans, timing);
      System.out.printf("%n%-20s %10s %12s %12s %14s%n", "shape", "spans", "spans/s", "us/span", "all emitted s");
      for (Result r : List.of(small, large)) {
        System.out.printf("%-20s %10d %12.0f %12.1f %14.1f%n", r.shape(), r.spans(), r.spansPerSecond(),
            r.microsPerSpan(), r.emitSeconds());
      }
      System.out.printf("per-span cost, 1,000-span / 10-span traces: %.2f%n", large.microsPerSpan()
          / small.microsPerSpan());
    }
  }

  private static Result run(KafkaTestCluster cluster, EmbeddedSchemaRegistry registry, String shape, int traceSize,
      int totalSpans, Timing timing) throws Exception {
    String suffix = UUID.randomUUID().toString();
    String input = "bench-spans-" + suffix;
    String output = "bench-traces-" + suffix;
    cluster.createTopics(List.of(Topics.CANONICAL_SPANS.withName(input),
        Topics.TRACE_FRAGMENTS.withName(AggregatorRunner.fragmentTopic(input)), Topics.TRACES.withName(output)));
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", registry.url());
    int traces = totalSpans / traceSize;
    RandomTraces random = new RandomTraces(42);
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    try (KafkaProducer<String, Span> producer = cluster.producer(new StringSerializer(), serde.serializer(),
        Map.of("linger.ms", 20, "batch.size", 256 * 1024, "compression.type", "lz4"))) {
      for (int t = 0; t < traces; t++) {
        for (Span span : random.trace(random.traceId(), traceSize, System.currentTimeMillis())) {
          producer.send(new ProducerRecord<>(input, span.getTraceId(), span));
        }
      }
      producer.flush();
    }
    int spans = traces * traceSize;
    Path state = Files.createTempDirectory("aggregator-bench");
    try (AggregatorRunner aggregator = new AggregatorRunner(cluster.bootstrapServers(), registry.url(),
        "bench-" + suffix, input, output, timing, new Limits(10_000, AggregatorSettings.DEFAULT_MAX_BYTES), state)) {
      long start = System.nanoTime();
      Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> aggregator.receivedSpans() >= spans);
      double read = (System.nanoTime() - start) / 1e9;
      Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> aggregator.openTraces() == 0 && emitted(aggregator) >= traces);
      double emit = (System.nanoTime() - start) / 1e9;
      System.out.printf("%s: %d spans read in %.2f s, %d traces emitted by %.2f s (%.0f records incl. late updates)%n",
          shape, spans, read, traces, emit, emitted(aggregator));
      return new Result(shape, spans, read, emit);
    } finally {
      Utils.delete(state.toFile());
    }
  }

  private static double emitted(AggregatorRunner aggregator) {
    return aggregator.meters.get("tracepipe.aggregator.traces.emitted").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }
}
