package dev.tracepipe.registry;

import java.util.Objects;

/** One decoded record of the {@code _schemas} topic. */
sealed interface LogRecord {

  /** A subject version; {@code value} is null for a tombstone (a permanent delete). */
  record SchemaRecord(String subject, int version, SchemaVersion value) implements LogRecord {
    public SchemaRecord {
      Objects.requireNonNull(subject, "subject == null");
    }
  }

  /** A compatibility setting; {@code subject} null means the global one, {@code level} null a removal. */
  record ConfigRecord(String subject, CompatibilityLevel level) implements LogRecord {}

  /** Confluent's soft delete of every version of a subject up to {@code version}. */
  record DeleteSubjectRecord(String subject, int version) implements LogRecord {
    public DeleteSubjectRecord {
      Objects.requireNonNull(subject, "subject == null");
    }
  }

  /** A record kind this registry does not use (NOOP, MODE, ...), kept for logging. */
  record OtherRecord(String keytype) implements LogRecord {}

  /** The value of a SCHEMA record; {@code schemaType} null means AVRO. */
  record SchemaVersion(String subject, int version, int id, String schema, String schemaType, boolean deleted) {
    public SchemaVersion {
      Objects.requireNonNull(subject, "subject == null");
      Objects.requireNonNull(schema, "schema == null");
    }

    boolean isAvro() {
      return schemaType == null || "AVRO".equals(schemaType);
    }

    SchemaVersion asDeleted() {
      return new SchemaVersion(subject, version, id, schema, schemaType, true);
    }
  }
}
