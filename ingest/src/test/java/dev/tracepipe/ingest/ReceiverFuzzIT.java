package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.tracepipe.schemas.topics.Topics;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Random, truncated and mutated OTLP (protobuf, JSON, gRPC) and Zipkin (JSON, proto3) bodies against the running
 * receivers and a real broker: no input is answered 5xx, and every span counted as accepted or rejected is on the
 * canonical or dead-letter topic. {@code -Dtracepipe.fuzz.inputs=N} runs more; input i uses the random seed {@code seed + i}, the seed is logged.
 */
class ReceiverFuzzIT {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverFuzzIT.class);
  private static final int INPUTS = Integer.getInteger("tracepipe.fuzz.inputs", 3000);
  private static final long SEED = Long.getLong("tracepipe.fuzz.seed", System.nanoTime());
  private static final long MAX_BODY = 256 * 1024;
  private static final int SENDERS = 6;
  private static ReceiverCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ReceiverCluster(Map.of(IngestSettings.MAX_BODY_BYTES.key(), Long.toString(MAX_BODY)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  /** One way in: where it goes, its content type, and seeds to mutate. */
  private record Target(String name, String path, int port, String contentType, List<byte[]> seeds) {}

  @Test
  void noMutatedInputIsAnswered5xxAndEveryCountedSpanIsOnATopic() throws Exception {
    LOG.info("receiver fuzz: {} inputs, seed {}", INPUTS, SEED);
    List<Target> targets = targets();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ManagedChannel channel = RawGrpc.channel(cluster.ingest.grpcPort());
    Map<String, Integer> outcomes = new ConcurrentSkipListMap<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    // Several senders at once, as exporters are; each input has its own seed so that any one can be replayed.
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < INPUTS; i++) {
        int input = i;
        sent.add(senders.submit(() -> {
          String outcome = fuzzOne(input, targets, http, channel, failures);
          outcomes.merge(outcome, 1, Integer::sum);
          return null;
        }));
      }
      for (Future<?> f : sent) f.get(5, TimeUnit.MINUTES);
    } finally {
      senders.shutdownNow();
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    LOG.info("receiver fuzz outcomes (seed {}): {}", SEED, outcomes);
    assertThat(failures).as("seed " + SEED).isEmpty();

    // Still serving: a good span after all of it comes out.
    String traceId = ReceiverCluster.randomHex(16);
    int ok = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.ingest.otlpPort()
        + "/v1/traces")).header("Content-Type", "application/x-protobuf").POST(BodyPublishers.ofByteArray(
            Fixtures.otlpRequest("cart", ReceiverCluster.spanNow(traceId)).toByteArray())).build(),
        BodyHandlers.discarding()).statusCode();
    assertThat(ok).isEqualTo(200);
    assertThat(cluster.awaitCanonical(traceId, 1)).hasSize(1);

    MeterRegistry meters = cluster.runner.context().meters();
    double counted = sum(meters, IngestMetrics.ACCEPTED) + sum(meters, IngestMetrics.REJECTED);
    int written = cluster.canonicalSpanCount() + cluster.records(Topics.SPANS_DLQ.name(), r -> true).size();
    LOG.info("receiver fuzz: {} spans counted accepted or rejected, {} spans and dead letters on the two topics",
        counted, written);
    assertThat(written).as("every accepted span published, every rejected one dead-lettered")
        .isEqualTo((int) counted);
    assertThat(counted).as("the mutations reach both outcomes").isGreaterThan(INPUTS / 10.0);
  }

  private static String fuzzOne(int input, List<Target> targets, HttpClient http, ManagedChannel channel,
      List<String> failures) throws Exception {
    Random random = new Random(SEED + input);
    int slot = input % (targets.size() + 1);
    Target target = targets.get(slot == targets.size() ? 0 : slot);
    byte[] seed = target.seeds().get(random.nextInt(target.seeds().size()));
    String mutation = Mutations.pick(random);
    byte[] body = Mutations.apply(mutation, seed, random);
    if (slot == targets.size()) {
      String code = RawGrpc.call(channel, body);
      if (!code.equals("OK") && !code.equals("INVALID_ARGUMENT")) {
        failures.add("input " + input + ": grpc " + mutation + " -> " + code);
      }
      return "grpc " + code;
    }
    boolean gzip = random.nextInt(8) == 0;
    String contentType = random.nextInt(20) == 0 ? "text/plain" : target.contentType();
    var request = java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + target.port() + target.path())).timeout(Duration.ofSeconds(60))
        .header("Content-Type", contentType);
    if (gzip) request.header("Content-Encoding", "gzip");
    int status = http.send(request.POST(BodyPublishers.ofByteArray(gzip ? gzip(body) : body)).build(),
        BodyHandlers.discarding()).statusCode();
    if (status >= 500 || status < 200 || (status >= 300 && status < 400)) {
      failures.add("input " + input + ": " + target.name() + " " + mutation + " -> " + status);
    }
    return target.name() + " " + status;
  }

  private static double sum(MeterRegistry meters, String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static List<Target> targets() throws IOException {
    List<byte[]> otlpProto = new ArrayList<>();
    List<byte[]> otlpJson = new ArrayList<>(List.of(TestData.bytes("otlp/trace.json")));
    for (int spans = 1; spans <= 4; spans++) {
      io.opentelemetry.proto.trace.v1.Span[] batch = new io.opentelemetry.proto.trace.v1.Span[spans];
      String traceId = ReceiverCluster.randomHex(16);
      for (int s = 0; s < spans; s++) {
        batch[s] = ReceiverCluster.spanNow(traceId).toBuilder().addAttributes(Fixtures.attribute("http.route", "/x"))
            .build();
      }
      var request = Fixtures.otlpRequest(spans % 2 == 0 ? "cart" : null, batch);
      otlpProto.add(request.toByteArray());
      otlpJson.add(JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8));
    }
    List<byte[]> zipkinJson = new ArrayList<>();
    List<byte[]> zipkinProto = new ArrayList<>();
    for (String sample : List.of("skew.json", "envoy.json", "messaging.json", "simple-db-p6.json")) {
      byte[] json = TestData.bytes("zipkin/" + sample);
      zipkinJson.add(json);
      zipkinProto.add(SpanBytesEncoder.PROTO3.encodeList(SpanBytesDecoder.JSON_V2.decodeList(json)));
    }
    long micros = System.currentTimeMillis() * 1000;
    byte[] fresh = ("[{\"traceId\":\"" + ReceiverCluster.randomHex(8) + "\",\"id\":\"0000000000000002\",\"kind\":"
        + "\"SERVER\",\"name\":\"get\",\"timestamp\":" + micros + ",\"duration\":25,\"localEndpoint\":"
        + "{\"serviceName\":\"web\"},\"tags\":{\"http.path\":\"/\"}}]").getBytes(StandardCharsets.UTF_8);
    zipkinJson.add(fresh);
    zipkinProto.add(SpanBytesEncoder.PROTO3.encodeList(SpanBytesDecoder.JSON_V2.decodeList(fresh)));
    int otlp = cluster.ingest.otlpPort();
    int zipkin = cluster.ingest.zipkinPort();
    return List.of(
        new Target("otlp-proto", OtlpHttpReceiver.PATH, otlp, OtlpHttpReceiver.PROTOBUF, otlpProto),
        new Target("otlp-json", OtlpHttpReceiver.PATH, otlp, OtlpHttpReceiver.JSON, otlpJson),
        new Target("zipkin-json", ZipkinHttpReceiver.PATH, zipkin, OtlpHttpReceiver.JSON, zipkinJson),
        new Target("zipkin-proto3", ZipkinHttpReceiver.PATH, zipkin, OtlpHttpReceiver.PROTOBUF, zipkinProto));
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Bytes as they are, both ways. */
  /** The ways a seed is damaged. */
  static final class Mutations {
    private static final List<String> ALL = List.of("as-is", "random", "truncate", "flip", "insert", "delete",
        "duplicate", "splice-text", "empty");

    private Mutations() {}

    static String pick(Random random) {
      return ALL.get(random.nextInt(ALL.size()));
    }

    static byte[] apply(String mutation, byte[] seed, Random random) {
      switch (mutation) {
        case "as-is":
          return seed;
        case "random": {
          byte[] bytes = new byte[random.nextInt(4096)];
          random.nextBytes(bytes);
          return bytes;
        }
        case "truncate":
          return Arrays.copyOf(seed, random.nextInt(seed.length + 1));
        case "flip": {
          byte[] bytes = seed.clone();
          for (int n = 1 + random.nextInt(8); n > 0 && bytes.length > 0; n--) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          }
          return bytes;
        }
        case "insert": {
          int at = random.nextInt(seed.length + 1);
          byte[] junk = new byte[1 + random.nextInt(32)];
          random.nextBytes(junk);
          return concat(Arrays.copyOf(seed, at), junk, Arrays.copyOfRange(seed, at, seed.length));
        }
        case "delete": {
          if (seed.length < 2) return seed;
          int from = random.nextInt(seed.length - 1);
          int to = Math.min(seed.length, from + 1 + random.nextInt(64));
          return concat(Arrays.copyOf(seed, from), Arrays.copyOfRange(seed, to, seed.length));
        }
        case "duplicate":
          return concat(seed, seed);
        case "splice-text": {
          // Values a decoder must survive: huge numbers, wrong types, odd escapes.
          String[] texts = {"\"", "null", "-1", "1e999", "18446744073709551616", "\"\\ud800\"", "{}", "[]", "\u0000"};
          int at = random.nextInt(seed.length + 1);
          byte[] text = texts[random.nextInt(texts.length)].getBytes(StandardCharsets.UTF_8);
          return concat(Arrays.copyOf(seed, at), text, Arrays.copyOfRange(seed, at, seed.length));
        }
        default:
          return new byte[0];
      }
    }

    private static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] part : parts) out.writeBytes(part);
      return out.toByteArray();
    }
  }
}
