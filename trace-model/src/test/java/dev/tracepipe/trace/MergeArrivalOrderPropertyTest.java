package dev.tracepipe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Merging pieces, placing untimed spans and building the tree do not depend on the order the pieces arrived in. */
class MergeArrivalOrderPropertyTest {
  private static final List<String> SERVICES = List.of("web", "app", "db", "");

  @Property(tries = 500)
  void mergeAndPlacementIgnoreArrivalOrder(@ForAll @IntRange(min = 1, max = 40) int size,
      @ForAll long structureSeed, @ForAll long orderSeed) {
    List<Span> pieces = pieces(new Random(structureSeed), size);
    List<Span> shuffled = new ArrayList<>(pieces);
    Collections.shuffle(shuffled, new Random(orderSeed));
    List<Span> reversed = new ArrayList<>(pieces);
    Collections.reverse(reversed);

    List<Span> expected = UntimedPlacement.place(HalfMerger.merge(pieces));

    assertThat(UntimedPlacement.place(HalfMerger.merge(shuffled))).isEqualTo(expected);
    assertThat(UntimedPlacement.place(HalfMerger.merge(reversed))).isEqualTo(expected);
    assertThat(shape(SpanTree.ofMerged(HalfMerger.merge(shuffled)))).isEqualTo(shape(SpanTree.ofMerged(expected)));
  }

  /** Pieces that share ids often: halves, copies, untimed pieces, defaulted services, endpoints. */
  private static List<Span> pieces(Random random, int size) {
    List<Span> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String id = String.format("%016x", 1 + random.nextInt(Math.max(1, size / 2)));
      String parent = random.nextInt(4) == 0 ? null : String.format("%016x", 1 + random.nextInt(size));
      String service = SERVICES.get(random.nextInt(SERVICES.size()));
      Span.Builder span = Spans.span(id, id.equals(parent) ? null : parent, SpanKind.values()[random.nextInt(6)],
              service.isEmpty() ? "unknown_service" : service)
          .setShared(random.nextInt(3) == 0)
          .setStartTimeNanos(Spans.BASE + random.nextInt(1000) * 1_000_000L)
          .setDurationNanos(random.nextInt(3) * 1_000_000L)
          .setUntimed(random.nextInt(3) == 0)
          .setAttributes(random.nextBoolean() ? Map.of("k", "v" + random.nextInt(2)) : Map.of())
          .setRemote(random.nextBoolean() ? null : RemotePeer.newBuilder()
              .setService(SERVICES.get(random.nextInt(SERVICES.size()))).build());
      if (service.isEmpty()) span.setResourceAttributes(Map.of(SpanFacts.SERVICE_DEFAULTED, "true"));
      else if (random.nextBoolean()) span.setResourceAttributes(Map.of(SpanFacts.HOST_IP, "10.0.0." + random.nextInt(2)));
      out.add(span.build());
    }
    return out;
  }

  private static List<String> shape(SpanNode root) {
    List<String> edges = new ArrayList<>();
    root.forEach(node -> edges.add((node.parent() == null || node.parent().synthetic() ? "-"
        : node.parent().span().getSpanId() + node.parent().span().getShared()) + ">" + node.span().getSpanId()
        + node.span().getShared() + node.span().getService()));
    Collections.sort(edges);
    return edges;
  }
}
