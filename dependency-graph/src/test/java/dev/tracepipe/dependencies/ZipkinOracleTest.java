package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.trace.HalfMerger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zipkin2.DependencyLink;
import zipkin2.internal.DependencyLinker;

/** Our edges, merged over connection types, equal those of Zipkin's DependencyLinker. */
class ZipkinOracleTest {

  static Stream<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(ZipkinConversion.testdata().resolve("zipkin"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void sampleTracesLinkAsZipkinDoes(Path sample) throws IOException {
    List<Span> spans = ZipkinConversion.readSample(sample);

    Map<String, List<Long>> ours = ours(spans);

    assertThat(ours).isEqualTo(zipkin(spans));
  }

  @Test
  void samplesHaveEdgesToCompare() throws IOException {
    long withEdges = 0;
    for (Path sample : samples().toList()) {
      if (!ours(ZipkinConversion.readSample(sample)).isEmpty()) withEdges++;
    }
    assertThat(withEdges).as("samples whose comparison is not trivially empty").isGreaterThanOrEqualTo(6);
  }

  @Test
  void randomTracesLinkAsZipkinDoes() {
    int withEdges = 0;
    Map<String, Integer> shapes = new TreeMap<>();
    for (long seed = 0; seed < 20_000; seed++) {
      List<Span> spans = RandomTraces.generate(seed);
      Map<String, List<Long>> ours = ours(spans);
      assertThat(ours).as("seed %d, spans:%n%s", seed, describe(spans)).isEqualTo(zipkin(spans));
      if (!ours.isEmpty()) withEdges++;
      TraceShapes.of(spans).forEach(f -> shapes.merge(f, 1, Integer::sum));
    }
    assertThat(withEdges).as("traces that produced at least one edge").isGreaterThan(12_000);
    assertThat(shapes.keySet()).as("shapes generated").containsAll(TraceShapes.ALL);
    assertThat(shapes).as("traces showing each shape").allSatisfy((f, n) -> assertThat(n).as(f).isGreaterThan(200));
  }

  /**
   * Exact copies of pieces (a span delivered twice) wherever they land among the pieces, not next to their originals:
   * Zipkin merges them away in {@code Trace.merge}, so its links are those without copies, and ours must be too.
   */
  @Test
  void randomTracesWithExactCopiesLinkAsZipkinDoes() {
    int withEdges = 0;
    for (long seed = 0; seed < 20_000; seed++) {
      List<Span> spans = RandomTraces.generate(seed);
      List<Span> withCopies = LinkingInvarianceProperties.withCopies(inMergeOrder(spans), new Random(seed));

      Map<String, List<Long>> zipkin = zipkinInGivenOrder(withCopies);
      assertThat(zipkin).as("Zipkin with and without copies, seed %d, spans:%n%s", seed, describe(withCopies))
          .isEqualTo(zipkin(spans));
      Map<String, List<Long>> ours = ours(withCopies);
      assertThat(ours).as("seed %d, spans:%n%s", seed, describe(withCopies)).isEqualTo(zipkin);
      if (!ours.isEmpty()) withEdges++;
    }
    assertThat(withEdges).as("traces that produced at least one edge").isGreaterThan(12_000);
  }

  static String describe(List<Span> spans) {
    StringBuilder out = new StringBuilder();
    for (Span s : spans) {
      out.append(String.format("  %s parent=%s %s%s svc=%s remote=%s err=%s/%s%n", s.getSpanId(),
          s.getParentSpanId(), s.getKind(), s.getShared() ? " shared" : "", s.getService(),
          s.getRemote() == null ? null : List.of(String.valueOf(s.getRemote().getService()),
              String.valueOf(s.getRemote().getDbSystem()), String.valueOf(s.getRemote().getAddress()),
              String.valueOf(s.getRemote().getMessagingSystem()),
              String.valueOf(s.getRemote().getMessagingDestination())),
          s.getStatus().getCode(), s.getAttributes().containsKey("error")))
          .append(String.format("    untimed=%s resource=%s%n", s.getUntimed(), s.getResourceAttributes()));
    }
    return out.toString();
  }

  /** parent -> child : [calls, errors], the pieces merged by the aggregator's rule first. */
  static Map<String, List<Long>> ours(List<Span> spans) {
    Map<String, long[]> counts = new TreeMap<>();
    for (Call call : CallLinker.link(HalfMerger.merge(spans))) {
      long[] c = counts.computeIfAbsent(call.edge().parent() + " -> " + call.edge().child(), k -> new long[2]);
      c[0]++;
      if (call.error()) c[1]++;
    }
    Map<String, List<Long>> result = new TreeMap<>();
    counts.forEach((k, c) -> result.put(k, List.of(c[0], c[1])));
    return result;
  }

  /**
   * Zipkin's links for the same pieces. Where Zipkin's result depends on arrival order (pieces it cannot tell apart
   * keep their input order), it is given the pieces in the order our merge fixes for them.
   */
  static Map<String, List<Long>> zipkin(List<Span> spans) {
    return zipkinInGivenOrder(inMergeOrder(spans));
  }

  static List<Span> inMergeOrder(List<Span> spans) {
    return spans.stream().sorted(HalfMerger.MERGE_ORDER).toList();
  }

  /** Zipkin's links for the pieces in the order given: Trace.merge's sort keeps that order among ties. */
  static Map<String, List<Long>> zipkinInGivenOrder(List<Span> spans) {
    List<zipkin2.Span> converted = spans.stream().map(ZipkinConversion::toZipkin).toList();
    Map<String, List<Long>> result = new TreeMap<>();
    for (DependencyLink link : new DependencyLinker().putTrace(converted).link()) {
      result.put(link.parent() + " -> " + link.child(), List.of(link.callCount(), link.errorCount()));
    }
    return result;
  }
}
