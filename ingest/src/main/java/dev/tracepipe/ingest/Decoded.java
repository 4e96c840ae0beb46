package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a decoder made of one message: mapped spans still to be validated, and the parts it could not decode.
 *
 * @param format the encoding detected (or assumed) for the message
 * @param undecodable true when the message as a whole could not be read; its one failure holds the whole message
 */
record Decoded(InputFormat format, List<Candidate> spans, List<DeadLetter> failures, boolean undecodable) {
  Decoded {
    Objects.requireNonNull(format, "format == null");
    spans = List.copyOf(spans);
    failures = List.copyOf(failures);
  }

  Decoded(InputFormat format, List<Candidate> spans, List<DeadLetter> failures) {
    this(format, spans, failures, false);
  }

  static Decoded failed(DeadLetter failure) {
    return new Decoded(failure.format(), List.of(), List.of(failure), true);
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
