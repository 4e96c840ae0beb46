package dev.tracepipe.ingest;

/** Why a message or span went to the dead-letter topic; the label is the {@code reason} tag and header value. */
enum RejectReason {
  /** The bytes are not a message of the expected format (or of any format we detect). */
  UNDECODABLE("undecodable"),
  /** A null or zero-length Kafka record value. */
  EMPTY_MESSAGE("empty_message"),
  INVALID_TRACE_ID("invalid_trace_id"),
  INVALID_SPAN_ID("invalid_span_id"),
  INVALID_PARENT_SPAN_ID("invalid_parent_span_id"),
  MISSING_TIMESTAMP("missing_timestamp"),
  NEGATIVE_DURATION("negative_duration"),
  TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range"),
  /** Even after the caps, the span is larger than a canonical record may be. */
  SPAN_TOO_LARGE("span_too_large"),
  /** Decoding or mapping failed in an unexpected way; the message is kept so that nothing is lost. */
  INTERNAL_ERROR("internal_error");

  private final String label;

  RejectReason(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
