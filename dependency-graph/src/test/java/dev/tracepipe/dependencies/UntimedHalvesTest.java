package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.trace.HalfMerger;
import dev.tracepipe.trace.UntimedPlacement;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.internal.Trace;

/**
 * A Zipkin trace whose untimed halves share ids with timed spans and have children of their own (the shape that
 * lost spans and calls on real data): the aggregator's merge keeps every span Zipkin keeps, and the links equal
 * DependencyLinker's.
 */
class UntimedHalvesTest {

  @Test
  void untimedHalvesAreMergedOrPlaced_noSpanLost_linksEqualZipkins() throws IOException {
    List<zipkin2.Span> decoded = decode();
    List<Span> pieces = new ArrayList<>();
    for (zipkin2.Span span : decoded) pieces.add(ZipkinConversion.fromZipkin(span));

    List<Span> trace = UntimedPlacement.place(HalfMerger.merge(pieces));

    assertThat(trace).hasSize(Trace.merge(decoded).size());
    assertThat(trace).filteredOn(Span::getUntimed).extracting(Span::getSpanId)
        .containsExactlyInAnyOrder("0000000000000002", "0000000000000004", "0000000000000007", "0000000000000008",
            "000000000000000a");
    assertThat(trace).allSatisfy(span -> assertThat(span.getStartTimeNanos())
        .isBetween(1_700_000_000_000_000_000L, 1_700_000_000_090_000_000L));
    assertThat(ZipkinOracleTest.ours(pieces)).isEqualTo(ZipkinOracleTest.zipkin(pieces))
        .containsKeys("frontend -> cart", "cart -> pricing", "pricing -> redis", "frontend -> payment",
            "payment -> bank");
  }

  static List<zipkin2.Span> decode() throws IOException {
    try (InputStream in = UntimedHalvesTest.class.getResourceAsStream("/untimed-halves.json")) {
      List<zipkin2.Span> out = new ArrayList<>();
      SpanBytesDecoder.JSON_V2.decodeList(in.readAllBytes(), out);
      return out;
    }
  }
}
