package dev.tracepipe.schemas.serde;

/** A registry call that failed, with the HTTP status and Confluent error code when the registry gave them. */
public final class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode) {
    super(message + " (status " + status + ", error code " + errorCode + ")");
    this.status = status;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
    this.errorCode = -1;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }
}
