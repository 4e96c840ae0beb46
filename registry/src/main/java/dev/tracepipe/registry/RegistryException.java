package dev.tracepipe.registry;

/** A failed registry request, carrying the HTTP status and the Confluent error code a client expects. */
final class RegistryException extends RuntimeException {
  private final int status;
  private final int errorCode;

  RegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  RegistryException(int status, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryException versionNotFound(int version) {
    return new RegistryException(404, 40402, "Version " + version + " not found.");
  }

  static RegistryException schemaNotFound(String detail) {
    return new RegistryException(404, 40403, detail);
  }

  static RegistryException subjectNotSoftDeleted(String subject) {
    return new RegistryException(404, 40405,
        "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  static RegistryException subjectConfigNotFound(String subject) {
    return new RegistryException(404, 40408,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static RegistryException incompatible(String message) {
    return new RegistryException(409, 409, message);
  }

  static RegistryException invalidSchema(String message) {
    return new RegistryException(422, 42201, "Invalid schema: " + message);
  }

  static RegistryException invalidVersion(String version) {
    return new RegistryException(422, 42202, "The specified version '" + version
        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  static RegistryException invalidCompatibilityLevel(String level) {
    return new RegistryException(422, 42203, "Invalid compatibility level '" + level
        + "'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
  }

  static RegistryException storeError(String message, Throwable cause) {
    return new RegistryException(500, 50001, "Error in the backend data store: " + message, cause);
  }

  static RegistryException storeTimeout(String message, Throwable cause) {
    return new RegistryException(500, 50002, "Operation timed out: " + message, cause);
  }
}
