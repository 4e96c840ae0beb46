package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a decoder made of one message: mapped spans still to be validated, and the parts it could not decode.
 *
 * @param format the encoding detected (or assumed) for the message
 */
record Decoded(InputFormat format, List<Candidate> spans, List<DeadLetter> failures) {
  Decoded {
    Objects.requireNonNull(format, "format == null");
    spans = List.copyOf(spans);
    failures = List.copyOf(failures);
  }

  static Decoded failed(DeadLetter failure) {
    return new Decoded(failure.format(), List.of(), List.of(failure));
  }

  /**
   * A mapped span before validation.
   *
   * @param payload the span alone in its message's encoding, built only when the span is rejected
   */
  record Candidate(Span span, Supplier<byte[]> payload) {
    Candidate {
      Objects.requireNonNull(span, "span == null");
      Objects.requireNonNull(payload, "payload == null");
    }
  }
}
