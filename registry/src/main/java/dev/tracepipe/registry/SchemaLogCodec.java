package dev.tracepipe.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracepipe.registry.LogRecord.ConfigRecord;
import dev.tracepipe.registry.LogRecord.DeleteSubjectRecord;
import dev.tracepipe.registry.LogRecord.OtherRecord;
import dev.tracepipe.registry.LogRecord.SchemaRecord;
import dev.tracepipe.registry.LogRecord.SchemaVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Encodes and decodes {@code _schemas} records in the JSON layout Confluent's registry writes, so a
 * topic written here reads like one of theirs. Keys are written with a fixed field order because
 * compaction compares key bytes.
 */
final class SchemaLogCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaLogCodec() {}

  static byte[] schemaKey(String subject, int version) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "SCHEMA");
    key.put("subject", Objects.requireNonNull(subject, "subject == null"));
    key.put("version", version);
    key.put("magic", 1);
    return write(key);
  }

  static byte[] schemaValue(SchemaVersion value) {
    ObjectNode node = JSON.createObjectNode();
    node.put("subject", value.subject());
    node.put("version", value.version());
    node.put("id", value.id());
    node.put("schema", value.schema());
    if (!value.isAvro()) {
      node.put("schemaType", value.schemaType());
    }
    node.put("deleted", value.deleted());
    return write(node);
  }

  /** The key of a compatibility setting; {@code subject} null for the global one. */
  static byte[] configKey(String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "CONFIG");
    if (subject == null) {
      key.putNull("subject");
    } else {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    return write(key);
  }

  static byte[] configValue(CompatibilityLevel level) {
    ObjectNode node = JSON.createObjectNode();
    node.put("compatibilityLevel", level.name());
    return write(node);
  }

  /** Decodes one record; {@code value} null is a tombstone. Throws on bytes that are not a registry record. */
  static LogRecord decode(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key == null");
    JsonNode keyNode = read(key);
    String keytype = keyNode.path("keytype").asText("");
    JsonNode valueNode = value == null ? null : read(value);
    switch (keytype) {
      case "SCHEMA":
        return new SchemaRecord(requiredText(keyNode, "subject"), requiredInt(keyNode, "version"),
            valueNode == null ? null : schemaVersion(valueNode));
      case "CONFIG":
        return new ConfigRecord(optionalText(keyNode, "subject"), valueNode == null ? null : level(valueNode));
      case "DELETE_SUBJECT":
        return valueNode == null
            ? new OtherRecord(keytype)
            : new DeleteSubjectRecord(requiredText(keyNode, "subject"), requiredInt(valueNode, "version"));
      default:
        return new OtherRecord(keytype);
    }
  }

  private static SchemaVersion schemaVersion(JsonNode node) {
    return new SchemaVersion(requiredText(node, "subject"), requiredInt(node, "version"), requiredInt(node, "id"),
        requiredText(node, "schema"), optionalText(node, "schemaType"), node.path("deleted").asBoolean(false));
  }

  private static CompatibilityLevel level(JsonNode node) {
    String name = optionalText(node, "compatibilityLevel");
    if (name == null) {
      // Newer Confluent config values may carry only other settings (aliases, normalisation).
      return null;
    }
    return CompatibilityLevel.parse(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown compatibilityLevel '" + name + "'"));
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode child = node.get(field);
    if (child == null || !child.isTextual()) {
      throw new IllegalArgumentException("missing text field '" + field + "' in " + node);
    }
    return child.asText();
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode child = node.get(field);
    return child == null || child.isNull() ? null : child.asText();
  }

  private static int requiredInt(JsonNode node, String field) {
    JsonNode child = node.get(field);
    if (child == null || !child.canConvertToInt()) {
      throw new IllegalArgumentException("missing int field '" + field + "' in " + node);
    }
    return child.asInt();
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(byte[] bytes) {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a JSON object: " + new String(bytes, StandardCharsets.UTF_8));
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }
}
