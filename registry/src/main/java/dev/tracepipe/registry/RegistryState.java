package dev.tracepipe.registry;

import dev.tracepipe.registry.LogRecord.ConfigRecord;
import dev.tracepipe.registry.LogRecord.DeleteSubjectRecord;
import dev.tracepipe.registry.LogRecord.OtherRecord;
import dev.tracepipe.registry.LogRecord.SchemaRecord;
import dev.tracepipe.registry.LogRecord.SchemaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry's view of the {@code _schemas} log: every record applied in order, queries over the result. */
final class RegistryState {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

  /** A registered schema: its id, parsed form and identity string. */
  record StoredSchema(int id, Schema schema, String canonical) {}

  private final Map<String, NavigableMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
  private final Map<Integer, StoredSchema> schemasById = new HashMap<>();
  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
  /** Highest id ever seen, so a schema id is never handed out twice, even after a permanent delete. */
  private int maxId;

  void apply(LogRecord record) {
    if (record instanceof SchemaRecord schema) {
      applySchema(schema);
    } else if (record instanceof ConfigRecord config) {
      applyConfig(config);
    } else if (record instanceof DeleteSubjectRecord delete) {
      applyDeleteSubject(delete);
    } else if (record instanceof OtherRecord other) {
      LOG.debug("Ignoring _schemas record of key type '{}'", other.keytype());
    }
  }

  private void applySchema(SchemaRecord record) {
    SchemaVersion value = record.value();
    if (value == null) {
      removeVersion(record.subject(), record.version());
      return;
    }
    maxId = Math.max(maxId, value.id());
    if (!value.isAvro()) {
      LOG.warn("Ignoring {} schema id {} of subject '{}' version {}: only AVRO is served",
          value.schemaType(), value.id(), value.subject(), value.version());
      return;
    }
    StoredSchema stored = schemasById.get(value.id());
    if (stored == null) {
      Schema parsed = AvroSchemas.parse(value.schema());
      stored = new StoredSchema(value.id(), parsed, AvroSchemas.canonical(parsed));
      schemasById.put(value.id(), stored);
      idByCanonical.putIfAbsent(stored.canonical(), value.id());
    } else if (!stored.canonical().equals(value.schema())
        && !stored.canonical().equals(AvroSchemas.canonical(AvroSchemas.parse(value.schema())))) {
      // Only a second writer on the same topic can cause this; the first schema keeps the id.
      LOG.error("Schema id {} of subject '{}' version {} differs from the schema first stored under that id;"
          + " keeping the first. Is another registry writing to the same topic?",
          value.id(), value.subject(), value.version());
    }
    subjects.computeIfAbsent(record.subject(), s -> new TreeMap<>()).put(record.version(), value);
  }

  private void removeVersion(String subject, int version) {
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
    if (versions == null) {
      return;
    }
    SchemaVersion removed = versions.remove(version);
    if (versions.isEmpty()) {
      subjects.remove(subject);
    }
    if (removed != null && versionsWithId(removed.id(), true).isEmpty()) {
      StoredSchema orphan = schemasById.remove(removed.id());
      if (orphan != null) {
        idByCanonical.remove(orphan.canonical(), orphan.id());
      }
    }
  }

  private void applyConfig(ConfigRecord record) {
    if (record.subject() == null) {
      globalLevel = record.level() == null ? CompatibilityLevel.DEFAULT : record.level();
    } else if (record.level() == null) {
      subjectLevels.remove(record.subject());
    } else {
      subjectLevels.put(record.subject(), record.level());
    }
  }

  private void applyDeleteSubject(DeleteSubjectRecord record) {
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(record.subject());
    if (versions != null) {
      versions.headMap(record.version(), true).replaceAll((version, value) -> value.asDeleted());
    }
  }

  Optional<StoredSchema> schemaById(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  OptionalInt idOf(String canonical) {
    Integer id = idByCanonical.get(canonical);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  int nextId() {
    return maxId + 1;
  }

  /** The versions pointing at schema {@code id}, across subjects. */
  List<SchemaVersion> versionsWithId(int id, boolean includeDeleted) {
    List<SchemaVersion> result = new ArrayList<>();
    for (NavigableMap<Integer, SchemaVersion> versions : subjects.values()) {
      for (SchemaVersion value : versions.values()) {
        if (value.id() == id && (includeDeleted || !value.deleted())) {
          result.add(value);
        }
      }
    }
    return result;
  }

  /** Subjects with at least one version that is not deleted, sorted. */
  List<String> liveSubjects() {
    List<String> result = new ArrayList<>();
    subjects.forEach((subject, versions) -> {
      if (versions.values().stream().anyMatch(v -> !v.deleted())) {
        result.add(subject);
      }
    });
    return result;
  }

  /** Versions of {@code subject}, oldest first. */
  List<SchemaVersion> versions(String subject, boolean includeDeleted) {
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
    if (versions == null) {
      return List.of();
    }
    return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
  }

  /** The highest version number {@code subject} ever had, deleted ones included; 0 for none. */
  int lastVersionNumber(String subject) {
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
    return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
  }

  CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }
}
