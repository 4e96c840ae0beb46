package dev.tracepipe.ingest;

/**
 * A message could not be decoded for a reason outside the message, such as the schema registry being unreachable; it
 * must be retried rather than dead-lettered.
 */
final class RetriableDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RetriableDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
