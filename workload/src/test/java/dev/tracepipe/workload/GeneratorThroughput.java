package dev.tracepipe.workload;

import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Measures how many spans a second the generator alone produces into each format's encoder, then into a real
 * in-process broker. Not a test: run it by hand, e.g.
 * {@code java -cp <test classpath> dev.tracepipe.workload.GeneratorThroughput 20 1}
 * (seconds per measurement, generator threads).
 */
public final class GeneratorThroughput {
  private GeneratorThroughput() {}

  public static void main(String[] args) throws Exception {
    StageRunner.trustAvroPackages();
    Duration each = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 20);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://throughput");

    measure("generate only (no encoding)", new EncodeOnlySink(traces -> List.of()), each, threads);
    for (Format format : Format.values()) {
      measure("encode " + format.cliName(), SpanSinks.encodeOnly(format, serdeConfig), each, threads);
    }
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      kafka.createTopics(List.of(Topics.SPANS, Topics.OTLP_SPANS, Topics.ZIPKIN));
      for (Format format : List.of(Format.AVRO, Format.OTLP, Format.ZIPKIN)) {
        try (SpanSink sink = SpanSinks.kafka(format, kafka.bootstrapServers(), serdeConfig, Map.of())) {
          measure("kafka " + format.cliName(), sink, each, threads);
        }
      }
    }
  }

  private static void measure(String what, SpanSink sink, Duration duration, int threads)
      throws InterruptedException {
    // A short first run lets the JIT compile the hot paths before the measured one.
    Generator.builder(sink).seed(1).threads(threads).tracesPerSecond(0).duration(Duration.ofSeconds(3)).build().run();
    Generator.Summary summary = Generator.builder(sink).seed(2).threads(threads).tracesPerSecond(0)
        .duration(duration).build().run();
    System.out.printf("%-30s %,10.0f spans/s %,8.0f traces/s  (%,d spans in %.1fs, %,d lost)%n", what,
        summary.spansPerSecond(), summary.tracesPerSecond(), summary.spans(), summary.elapsed().toMillis() / 1000.0,
        summary.failedSpans());
  }
}
