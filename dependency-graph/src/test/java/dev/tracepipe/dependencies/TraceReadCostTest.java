package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.TraceFixtures;
import dev.tracepipe.trace.HalfMerger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * CPU nanoseconds per span of what this stage does with a {@code traces} record before its ledger: decode it and link
 * its calls, decoding the whole record (as before the projection) beside decoding only {@link LinkedFields}, on the
 * shared Zipkin samples assembled as the aggregator emits them. Thread CPU time; figures reported, never asserted,
 * and the calls of both must be the same. For steadier figures run {@code main} with the seconds per figure.
 */
class TraceReadCostTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://trace-read-cost");
  private static volatile long sink;

  @Test
  void projectedTracesLinkAsWholeOnesAndTheCostIsReported() throws IOException {
    List<String> lines = measure(Double.parseDouble(System.getProperty("cost.seconds", "0.2")));
    assertThat(lines).hasSize(5);
  }

  public static void main(String[] args) throws IOException {
    measure(args.length > 0 ? Double.parseDouble(args[0]) : 3);
  }

  static List<String> measure(double seconds) throws IOException {
    Serde<Trace> whole = Topics.TRACES.valueSerde(SERDE);
    Serde<Trace> projected = LinkedFields.traceSerde(SERDE);
    String topic = Topics.TRACES.name();
    List<byte[]> records = new ArrayList<>();
    int spans = 0;
    for (Trace trace : samples()) {
      byte[] bytes = whole.serializer().serialize(topic, trace);
      records.add(bytes);
      spans += trace.getSpans().size();
      assertThat(CallLinker.link(projected.deserializer().deserialize(topic, bytes).getSpans()))
          .isEqualTo(CallLinker.link(whole.deserializer().deserialize(topic, bytes).getSpans()));
    }
    List<Span> decoded = new ArrayList<>();
    records.forEach(r -> decoded.addAll(projected.deserializer().deserialize(topic, r).getSpans()));
    List<String> lines = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      lines.clear();
      long fullDecode = cpuPerRun(seconds, () -> records.forEach(r ->
          sink += whole.deserializer().deserialize(topic, r).getSpans().size()));
      long projectedDecode = cpuPerRun(seconds, () -> records.forEach(r ->
          sink += projected.deserializer().deserialize(topic, r).getSpans().size()));
      long before = cpuPerRun(seconds, () -> records.forEach(r ->
          sink += CallLinker.link(whole.deserializer().deserialize(topic, r).getSpans()).size()));
      long after = cpuPerRun(seconds, () -> records.forEach(r ->
          sink += CallLinker.link(projected.deserializer().deserialize(topic, r).getSpans()).size()));
      int total = spans;
      lines.add(String.format("decode whole trace        %6d ns", fullDecode / total));
      lines.add(String.format("decode projected trace    %6d ns", projectedDecode / total));
      lines.add(String.format("whole decode + link       %6d ns", before / total));
      lines.add(String.format("projected decode + link   %6d ns", after / total));
      lines.add(String.format("spans per pass            %6d", total));
      System.out.println((round == 0 ? "warm-up" : "measured") + " (CPU per span):");
      lines.forEach(line -> System.out.println("  " + line));
    }
    return lines;
  }

  /**
   * Each shared Zipkin sample as one trace of merged spans; annotations become events and every span carries the
   * resource attributes ingest gives it, so the records weigh what real ones do.
   */
  static List<Trace> samples() throws IOException {
    List<Trace> traces = new ArrayList<>();
    try (Stream<Path> files = Files.list(ZipkinConversion.testdata().resolve("zipkin"))) {
      for (Path file : files.sorted().toList()) {
        List<Span> spans = new ArrayList<>();
        for (Span span : ZipkinConversion.readSample(file)) spans.add(asIngested(span));
        traces.add(TraceFixtures.trace(spans.get(0).getTraceId(), 1, TraceCompletion.INACTIVITY_GAP,
            HalfMerger.merge(spans)));
      }
    }
    return traces;
  }

  private static Span asIngested(Span span) {
    Map<String, String> resource = new LinkedHashMap<>(span.getResourceAttributes());
    resource.put("service.name", span.getService());
    List<SpanEvent> events = new ArrayList<>();
    for (int i = 0; i < Math.min(2, span.getAttributes().size()); i++) {
      events.add(new SpanEvent(span.getStartTimeNanos() + i, "annotation-" + i, new LinkedHashMap<>()));
    }
    return Span.newBuilder(span).setResourceAttributes(resource).setEvents(events).setScope("zipkin").build();
  }

  private static long cpuPerRun(double seconds, Runnable run) {
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long runs = 0;
    while (runs == 0 || System.nanoTime() < end) {
      run.run();
      runs++;
    }
    return (THREADS.getCurrentThreadCpuTime() - cpuStart) / runs;
  }
}
