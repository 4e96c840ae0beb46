package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

/**
 * CPU nanoseconds per span of ingest's path from a message to the encoded canonical records (decode and map,
 * validate, encode), on the shared samples in Zipkin JSON, Zipkin proto3, OTLP protobuf and OTLP/JSON. Thread CPU
 * time, so other processes on the machine count less; the figures are reported, never asserted. The test run is
 * short; for steadier figures run {@code main} with the seconds per figure as argument.
 */
class IngestCostTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String[] ZIPKIN_SAMPLES = {"ascend.json", "envoy.json", "messaging-kafka.json",
      "messaging.json", "messaging2.json", "simple-db-p6.json", "skew.json", "smartthings-oauth-authorization.json"};
  private static volatile long sink;

  /** One encoding's messages, each with the time it was received (the plausibility window's centre). */
  record Input(String label, Function<byte[], Decoded> decoder, List<byte[]> messages, long[] receivedMillis) {}

  @Test
  void reportsCpuPerSpanOfEachInputFormat() {
    List<String> lines = measure(Double.parseDouble(System.getProperty("cost.seconds", "0.2")));
    assertThat(lines).hasSize(inputs().size());
  }

  public static void main(String[] args) {
    measure(args.length > 0 ? Double.parseDouble(args[0]) : 3);
  }

  static List<String> measure(double seconds) {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class)
        .configured(Map.of("schema.registry.url", "mock://ingest-cost"), false);
    SpanIngestor ingestor = new SpanIngestor(new SpanValidator(IngestLimits.DEFAULTS),
        new IngestMetrics(new SimpleMeterRegistry()));
    String topic = Topics.CANONICAL_SPANS.name();
    List<String> lines = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      lines.clear();
      for (Input input : inputs()) {
        int spans = 0;
        for (int i = 0; i < input.messages().size(); i++) {
          spans += ingestor.ingest(input.decoder().apply(input.messages().get(i)), input.receivedMillis()[i])
              .accepted().size();
        }
        long decode = cpuPerRun(seconds, () -> {
          for (byte[] message : input.messages()) sink += input.decoder().apply(message).spans().size();
        });
        long all = cpuPerRun(seconds, () -> {
          for (int i = 0; i < input.messages().size(); i++) {
            SpanIngestor.Result result = ingestor.ingest(input.decoder().apply(input.messages().get(i)),
                input.receivedMillis()[i]);
            for (Span span : result.accepted()) sink += serde.serialize(topic, span).length;
          }
        });
        lines.add(String.format("%-12s %4d spans: decode+map %6d ns, validate+encode %6d ns, total %6d ns CPU per span",
            input.label(), spans, decode / spans, (all - decode) / spans, all / spans));
      }
      System.out.println((round == 0 ? "warm-up" : "measured") + ":");
      lines.forEach(line -> System.out.println("  " + line));
    }
    return lines;
  }

  static List<Input> inputs() {
    List<byte[]> json = new ArrayList<>();
    List<byte[]> proto3 = new ArrayList<>();
    for (String sample : ZIPKIN_SAMPLES) {
      byte[] message = TestData.bytes("zipkin/" + sample);
      json.add(message);
      proto3.add(SpanBytesEncoder.PROTO3.encodeList(SpanBytesDecoder.JSON_V2.decodeList(message)));
    }
    long[] zipkinTimes = json.stream().mapToLong(IngestCostTest::zipkinStartMillis).toArray();
    byte[] otlpJson = TestData.bytes("otlp/trace.json");
    ExportTraceServiceRequest request;
    try {
      request = OtlpJson.parse(otlpJson).request();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] otlpProto = request.toByteArray();
    long otlpTime = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getStartTimeUnixNano() / 1_000_000;
    return List.of(
        new Input("zipkin-json", ZipkinDecoder::decode, json, zipkinTimes),
        new Input("zipkin-proto3", ZipkinDecoder::decode, proto3, zipkinTimes),
        new Input("otlp-proto", OtlpDecoder::decode, List.of(otlpProto), new long[] {otlpTime}),
        new Input("otlp-json", OtlpDecoder::decode, List.of(otlpJson), new long[] {otlpTime}));
  }

  private static long zipkinStartMillis(byte[] message) {
    return SpanBytesDecoder.JSON_V2.decodeList(message).stream().mapToLong(s -> s.timestampAsLong())
        .filter(t -> t > 0).min().orElse(0) / 1000;
  }

  /** Thread CPU nanoseconds of one run, averaged over as many runs as fit in the time given. */
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
