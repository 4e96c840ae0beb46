package dev.tracepipe.ingest;

import java.util.Objects;

/**
 * A message or span that ingest could not accept, with the bytes to keep: the whole message when it could not be
 * decoded, otherwise the offending span alone in its own encoding.
 *
 * @param traceId the canonical trace id when known (used as the dead-letter key), else null
 */
record DeadLetter(InputFormat format, RejectReason reason, String detail, byte[] payload, String traceId) {
  DeadLetter {
    Objects.requireNonNull(format, "format == null");
    Objects.requireNonNull(reason, "reason == null");
    Objects.requireNonNull(detail, "detail == null");
    Objects.requireNonNull(payload, "payload == null");
  }

  static DeadLetter undecodable(InputFormat format, String detail, byte[] message) {
    return new DeadLetter(format, RejectReason.UNDECODABLE, detail, message, null);
  }
}
