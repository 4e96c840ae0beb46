package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceFragmentsTest {
  private static final AvroSerde<TraceFragment> SERDE = AvroSerde.specific(TraceFragment.class)
      .configured(Map.of("schema.registry.url", "mock://trace-fragments-test"), false);

  private static Span span(String traceId, int i) {
    return Fixtures.avroSpan().setTraceId(traceId).setSpanId(String.format("%016x", i + 1))
        .setName("operation-" + i).build();
  }

  private static List<Span> decoded(List<TraceFragments.Encoded> records) {
    List<Span> spans = new ArrayList<>();
    records.forEach(r -> spans.addAll(SERDE.deserialize("fragments", r.value()).getSpans()));
    return spans;
  }

  @Test
  void spansOfOneTraceStayTogetherAndTracesKeepTheirFirstPlace() {
    String a = "4bf92f3577b34da6a3ce929d0e0e4736";
    String b = "0af7651916cd43dd8448eb211c80319c";
    List<Span> message = List.of(span(a, 0), span(b, 1), span(a, 2), span(b, 3), span(a, 4));
    List<TraceFragments.Encoded> records = new TraceFragments(SERDE, "fragments").encode(message);
    assertThat(records).extracting(TraceFragments.Encoded::traceId).containsExactly(a, b);
    assertThat(records).extracting(TraceFragments.Encoded::spanCount).containsExactly(3, 2);
    assertThat(decoded(records)).containsExactly(message.get(0), message.get(2), message.get(4), message.get(1),
        message.get(3));
  }

  @Test
  void aFragmentTooLargeForOneRecordIsSplitUntilEveryPartFitsAndNoSpanIsLost() {
    String a = "4bf92f3577b34da6a3ce929d0e0e4736";
    List<Span> message = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      message.add(span(a, i));
    }
    int whole = SERDE.serialize("fragments", new TraceFragment(message)).length;
    int limit = whole / 5;
    List<TraceFragments.Encoded> records = new TraceFragments(SERDE, "fragments", limit).encode(message);
    assertThat(records.size()).isGreaterThanOrEqualTo(5);
    assertThat(records).allSatisfy(r -> {
      assertThat(r.value().length).isLessThanOrEqualTo(limit);
      assertThat(r.traceId()).isEqualTo(a);
    });
    assertThat(records.stream().mapToInt(TraceFragments.Encoded::spanCount).sum()).isEqualTo(100);
    assertThat(decoded(records)).containsExactlyElementsOf(message);
  }

  @Test
  void aSingleSpanIsNeverSplit() {
    Span big = span("4bf92f3577b34da6a3ce929d0e0e4736", 0);
    List<TraceFragments.Encoded> records = new TraceFragments(SERDE, "fragments", 10).encode(List.of(big));
    assertThat(records).singleElement().satisfies(r -> assertThat(r.spanCount()).isEqualTo(1));
    assertThat(decoded(records)).containsExactly(big);
  }
}
