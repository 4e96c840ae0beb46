package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import java.util.Objects;

/** The outcome of validating one span: accepted in canonical form, or rejected with a reason. */
sealed interface Verdict {

  /**
   * @param span the normalised span
   * @param capped true when ingest truncated values or dropped attributes, events or links of this span
   * @param serviceDefaulted true when the span named no service and got {@link SpanValidator#UNKNOWN_SERVICE}
   */
  record Accepted(Span span, boolean capped, boolean serviceDefaulted) implements Verdict {
    public Accepted {
      Objects.requireNonNull(span, "span == null");
    }
  }

  record Rejected(RejectReason reason, String detail) implements Verdict {
    public Rejected {
      Objects.requireNonNull(reason, "reason == null");
      Objects.requireNonNull(detail, "detail == null");
    }
  }
}
