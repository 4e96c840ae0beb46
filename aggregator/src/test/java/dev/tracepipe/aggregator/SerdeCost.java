package dev.tracepipe.aggregator;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.serde.SpecificWriters;
import dev.tracepipe.schemas.serde.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;

/**
 * CPU nanoseconds per span of the encodings every span goes through on its way (canonical span in and out, the
 * aggregator's size check, the assembled trace in and out), on the shared SmartThings sample (175 spans). Thread CPU
 * time, so that other processes on the machine count less. Not a test: run it by hand, e.g.
 * {@code java -cp <test classpath> dev.tracepipe.aggregator.SerdeCost 3} (seconds per measurement).
 */
public final class SerdeCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static volatile long sink;

  private SerdeCost() {}

  public static void main(String[] args) {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
    Map<String, String> config = Map.of("schema.registry.url", "mock://serde-cost");
    Serde<Span> spans = Topics.CANONICAL_SPANS.valueSerde(config);
    Serde<Trace> traces = Topics.TRACES.valueSerde(config);
    List<Span> sample = ZipkinJson.sample("smartthings-oauth-authorization.json");
    Trace trace = new SpanCollector().addAll(sample).assemble("0000000000000000" + sample.get(0).getTraceId()
        .substring(16));
    String topic = Topics.CANONICAL_SPANS.name();
    byte[][] encodedSpans = sample.stream().map(s -> spans.serializer().serialize(topic, s)).toArray(byte[][]::new);
    byte[] encodedTrace = traces.serializer().serialize(Topics.TRACES.name(), trace);
    // What the serde's own reader of the build's schemas is measured against.
    SpecificDatumReader<Trace> avroReader = new SpecificDatumReader<>(Trace.getClassSchema());
    AvroSerde<Span> avroWriter = AvroSerde.specific(Span.class).configured(config, false);
    SpecificDatumWriter<Span> generated = SpecificWriters.of(Span.class);
    for (int round = 0; round < 2; round++) {
      String label = round == 0 ? "warm-up" : "measured";
      System.out.println(label + ":");
      report("span serialize", seconds, sample.size(), () -> {
        for (Span s : sample) {
          sink += spans.serializer().serialize(topic, s).length;
        }
      });
      report("  by Avro's encoder", seconds, sample.size(), () -> {
        for (Span s : sample) {
          sink += avroWriter.serialize(topic, s, generated).length;
        }
      });
      report("span deserialize", seconds, sample.size(), () -> {
        for (byte[] b : encodedSpans) {
          sink += spans.deserializer().deserialize(topic, b).getDurationNanos();
        }
      });
      report("span encoded size", seconds, sample.size(), () -> {
        for (Span s : sample) {
          sink += SpanAdmission.encodedSize(s);
        }
      });
      report("trace serialize", seconds, sample.size(), () ->
          sink += traces.serializer().serialize(Topics.TRACES.name(), trace).length);
      report("trace deserialize", seconds, sample.size(), () ->
          sink += traces.deserializer().deserialize(Topics.TRACES.name(), encodedTrace).getSpanCount());
      report("  by Avro's reader", seconds, sample.size(), () -> {
        try {
          sink += avroReader.read(null, DecoderFactory.get().binaryDecoder(encodedTrace, WireFormat.HEADER_SIZE,
              encodedTrace.length - WireFormat.HEADER_SIZE, null)).getSpanCount();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static void report(String what, long seconds, int spansPerRun, Runnable run) {
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long runs = 0;
    while (System.nanoTime() < end) {
      run.run();
      runs++;
    }
    double nanosPerSpan = (THREADS.getCurrentThreadCpuTime() - cpuStart) / (double) (runs * spansPerRun);
    System.out.printf("  %-20s %8.0f ns CPU per span%n", what, nanosPerSpan);
  }
}
