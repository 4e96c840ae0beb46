package dev.tracepipe.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Parses schema text the way the registry stores it: a fresh parser per schema, defaults validated. */
final class AvroSchemas {
  private AvroSchemas() {}

  /** Parses {@code text} or throws the 422/42201 error a Confluent registry answers with. */
  static Schema parse(String text) {
    if (text == null || text.isBlank()) {
      throw RegistryException.invalidSchema("the request has no schema");
    }
    try {
      // A fresh parser each time: a parser remembers named types and would reject a redefinition.
      return new Schema.Parser().setValidateDefaults(true).parse(text);
    } catch (SchemaParseException | NullPointerException | IllegalArgumentException e) {
      // Avro reports some malformed schemas (e.g. a field without a type) as NPE or IAE.
      throw RegistryException.invalidSchema(String.valueOf(e.getMessage()));
    }
  }

  /**
   * The identity of a schema: its parsed, re-serialised JSON. Unlike the parsing canonical form it
   * keeps defaults, docs and aliases, which change what readers do, so two schemas that differ there
   * get different ids, as in Confluent's registry.
   */
  static String canonical(Schema schema) {
    return schema.toString();
  }
}
