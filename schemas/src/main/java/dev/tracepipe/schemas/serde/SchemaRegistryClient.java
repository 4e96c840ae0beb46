package dev.tracepipe.schemas.serde;

import org.apache.avro.Schema;

/** The operations of a Confluent-compatible schema registry that a serde needs. */
public interface SchemaRegistryClient {

  /** Registers the schema under the subject (or finds it there) and returns its global id. */
  int register(String subject, Schema schema);

  /** Returns the id the schema already has under the subject, failing when it is not registered. */
  int idOf(String subject, Schema schema);

  /** Returns the schema with the given global id. */
  Schema schemaById(int id);
}
