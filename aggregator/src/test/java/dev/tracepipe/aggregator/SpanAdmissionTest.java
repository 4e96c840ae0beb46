package dev.tracepipe.aggregator;

import static dev.tracepipe.aggregator.TestSpans.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.aggregator.SpanAdmission.Outcome;
import dev.tracepipe.avro.Span;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanAdmissionTest {

  private static final Limits LIMITS = new Limits(2, 1_000);
  private static final Span SPAN = root("0000000000000001", "web", 10, 5);

  @Test
  void newSpansAreAddedUntilEitherCap() {
    assertThat(SpanAdmission.admit(null, SPAN, 1, 100, 100, LIMITS)).isEqualTo(Outcome.ADD);
    assertThat(SpanAdmission.admit(null, SPAN, 2, 100, 100, LIMITS)).isEqualTo(Outcome.DROP);
    assertThat(SpanAdmission.admit(null, SPAN, 1, 950, 100, LIMITS)).isEqualTo(Outcome.DROP);
  }

  @Test
  void copyWithLongerDurationReplacesWhateverTheOrder() {
    Span longer = Span.newBuilder(SPAN).setDurationNanos(SPAN.getDurationNanos() + 1).build();

    assertThat(SpanAdmission.admit(SPAN, longer, 1, 0, 0, LIMITS)).isEqualTo(Outcome.REPLACE);
    assertThat(SpanAdmission.admit(longer, SPAN, 1, 0, 0, LIMITS)).isEqualTo(Outcome.DUPLICATE);
    assertThat(SpanAdmission.admit(SPAN, SPAN, 2, 999, 100, LIMITS)).as("a copy is never a drop")
        .isEqualTo(Outcome.DUPLICATE);
  }

  @Test
  void canonicalEncodingIgnoresMapOrderSoEqualCopiesAreEqual() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    Span first = Span.newBuilder(SPAN).setAttributes(ab).build();
    Span second = Span.newBuilder(SPAN).setAttributes(ba).build();

    assertThat(SpanAdmission.canonicalBytes(first)).isEqualTo(SpanAdmission.canonicalBytes(second));
    assertThat(SpanAdmission.PREFERENCE.compare(first, second)).isZero();
    assertThat(first.getAttributes()).as("the span itself is untouched").isSameAs(ab);
  }
}
