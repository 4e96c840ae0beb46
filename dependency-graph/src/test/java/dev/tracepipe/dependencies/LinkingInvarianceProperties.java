package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.trace.HalfMerger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The calls of a trace depend neither on the order its spans arrive in, nor on copies, nor on id case. */
class LinkingInvarianceProperties {

  static List<Call> sorted(List<Call> calls) {
    List<Call> copy = new ArrayList<>(calls);
    copy.sort((a, b) -> a.id().compareTo(b.id()));
    return copy;
  }

  @Property(tries = 500)
  void spanOrderDoesNotMatter(@ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll long shuffleSeed) {
    List<Span> spans = RandomTraces.generate(seed);
    List<Span> shuffled = new ArrayList<>(spans);
    Collections.shuffle(shuffled, new Random(shuffleSeed));

    assertThat(sorted(CallLinker.link(shuffled))).isEqualTo(sorted(CallLinker.link(spans)));
  }

  /**
   * Zipkin merges exact copies in {@code Trace.merge} before building its tree, so its links do not change with them
   * (ZipkinOracleTest checks that too); neither may ours, whether the aggregator merged the pieces or not.
   */
  @Property(tries = 500)
  void copiesOfSpansDoNotMatter(@ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll long copySeed) {
    List<Span> spans = RandomTraces.generate(seed);
    List<Span> withCopies = withCopies(spans, new Random(copySeed));

    assertThat(sorted(CallLinker.link(withCopies))).isEqualTo(sorted(CallLinker.link(spans)));
    assertThat(sorted(CallLinker.link(HalfMerger.merge(withCopies))))
        .isEqualTo(sorted(CallLinker.link(HalfMerger.merge(spans))));
  }

  /** The spans with an exact copy of about half of them, each at a random position. */
  static List<Span> withCopies(List<Span> spans, Random random) {
    List<Span> withCopies = new ArrayList<>(spans);
    for (Span span : spans) {
      if (random.nextBoolean()) withCopies.add(random.nextInt(withCopies.size() + 1), Span.newBuilder(span).build());
    }
    return withCopies;
  }

  @Property(tries = 300)
  void idCaseDoesNotMatter(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    List<Span> spans = RandomTraces.generate(seed);
    List<Span> upper = spans.stream().map(s -> Span.newBuilder(s)
        .setSpanId(s.getSpanId().toUpperCase(Locale.ROOT))
        .setParentSpanId(s.getParentSpanId() == null ? null : s.getParentSpanId().toUpperCase(Locale.ROOT))
        .build()).toList();

    assertThat(sorted(CallLinker.link(upper))).isEqualTo(sorted(CallLinker.link(spans)));
  }
}
