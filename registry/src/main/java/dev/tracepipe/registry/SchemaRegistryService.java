package dev.tracepipe.registry;

import dev.tracepipe.registry.LogRecord.ConfigRecord;
import dev.tracepipe.registry.LogRecord.SchemaRecord;
import dev.tracepipe.registry.LogRecord.SchemaVersion;
import dev.tracepipe.registry.RegistryState.StoredSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * The registry operations with Confluent's semantics. Every write goes to the log first and is applied
 * to the state only once the log acknowledged it; all operations are serialised on this object.
 */
final class SchemaRegistryService {
  private final SchemaLog log;
  private final RegistryState state = new RegistryState();

  /** A schema as the REST API sends it: the text, its type (null means AVRO) and whether it has references. */
  record SchemaRequest(String schema, String schemaType, boolean hasReferences) {}

  /** A version as the REST API returns it, with the stored schema text. */
  record VersionView(String subject, int version, int id, String schema) {}

  /** The answer to a compatibility test. */
  record CompatibilityView(boolean compatible, List<String> messages) {}

  SchemaRegistryService(SchemaLog log) {
    this.log = Objects.requireNonNull(log, "log == null");
    log.catchUp(state::apply);
  }

  synchronized int register(String subject, SchemaRequest request) {
    Schema schema = parse(request);
    String canonical = AvroSchemas.canonical(schema);
    // Catch up first: a write that timed out earlier may still have landed and taken an id.
    log.catchUp(state::apply);
    List<SchemaVersion> live = state.versions(subject, false);
    for (SchemaVersion existing : live) {
      if (canonical.equals(stored(existing).canonical())) {
        return existing.id();
      }
    }
    List<String> problems = state.effectiveLevel(subject).incompatibilities(schema, schemas(live));
    if (!problems.isEmpty()) {
      throw RegistryException.incompatible("Schema being registered is incompatible with an earlier schema for"
          + " subject \"" + subject + "\", details: " + problems);
    }
    int id = state.idOf(canonical).orElse(state.nextId());
    int version = state.lastVersionNumber(subject) + 1;
    writeVersion(new SchemaVersion(subject, version, id, canonical, null, false));
    return id;
  }

  synchronized VersionView lookup(String subject, SchemaRequest request) {
    String canonical = AvroSchemas.canonical(parse(request));
    List<SchemaVersion> live = liveVersions(subject);
    for (SchemaVersion existing : live) {
      if (canonical.equals(stored(existing).canonical())) {
        return view(existing);
      }
    }
    throw RegistryException.schemaNotFound("Schema not found");
  }

  synchronized String schemaById(int id) {
    return state.schemaById(id).map(StoredSchema::canonical)
        .orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id + " not found"));
  }

  /** The subject/version pairs that use schema {@code id}. */
  synchronized List<VersionView> versionsOfId(int id) {
    schemaById(id);
    return state.versionsWithId(id, false).stream().map(this::view).toList();
  }

  synchronized List<String> subjects() {
    return state.liveSubjects();
  }

  synchronized List<Integer> versionNumbers(String subject) {
    return liveVersions(subject).stream().map(SchemaVersion::version).toList();
  }

  synchronized VersionView version(String subject, VersionSpec spec) {
    return view(find(subject, spec));
  }

  synchronized CompatibilityView testCompatibility(String subject, VersionSpec spec, SchemaRequest request) {
    Schema schema = parse(request);
    CompatibilityLevel level = state.effectiveLevel(subject);
    List<Schema> previous;
    if (spec.isLatest()) {
      // Against "latest" the level decides how far back to look, as Confluent does; nothing to break is compatible.
      previous = schemas(state.versions(subject, false));
    } else {
      previous = List.of(stored(find(subject, spec)).schema());
    }
    List<String> problems = level.incompatibilities(schema, previous);
    return new CompatibilityView(problems.isEmpty(), problems);
  }

  synchronized CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  /** The subject's own level, or the global one when {@code defaultToGlobal}; else 404 40408. */
  synchronized CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
    return state.subjectLevel(subject).orElseGet(() -> {
      if (defaultToGlobal) {
        return state.globalLevel();
      }
      throw RegistryException.subjectConfigNotFound(subject);
    });
  }

  /** Sets the global level ({@code subject} null) or a subject's. */
  synchronized CompatibilityLevel setLevel(String subject, String levelName) {
    CompatibilityLevel level = CompatibilityLevel.parse(levelName)
        .orElseThrow(() -> RegistryException.invalidCompatibilityLevel(levelName));
    log.catchUp(state::apply);
    write(SchemaLogCodec.configKey(subject), SchemaLogCodec.configValue(level), new ConfigRecord(subject, level));
    return level;
  }

  /** Removes a subject's own level and returns it; 404 40408 when it had none. */
  synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
    log.catchUp(state::apply);
    CompatibilityLevel previous = state.subjectLevel(subject)
        .orElseThrow(() -> RegistryException.subjectConfigNotFound(subject));
    write(SchemaLogCodec.configKey(subject), null, new ConfigRecord(subject, null));
    return previous;
  }

  /**
   * Soft-deletes every live version of {@code subject}, or with {@code permanent} removes the versions
   * a soft delete left behind; returns the version numbers affected.
   */
  synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    log.catchUp(state::apply);
    List<SchemaVersion> all = state.versions(subject, true);
    if (all.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    List<SchemaVersion> live = state.versions(subject, false);
    List<Integer> affected = new ArrayList<>();
    if (permanent) {
      if (!live.isEmpty()) {
        throw RegistryException.subjectNotSoftDeleted(subject);
      }
      for (SchemaVersion version : all) {
        write(SchemaLogCodec.schemaKey(subject, version.version()), null,
            new SchemaRecord(subject, version.version(), null));
        affected.add(version.version());
      }
    } else {
      if (live.isEmpty()) {
        throw new RegistryException(404, 40404, "Subject '" + subject
            + "' was soft deleted. Set permanent=true to delete permanently");
      }
      for (SchemaVersion version : live) {
        writeVersion(version.asDeleted());
        affected.add(version.version());
      }
    }
    return affected;
  }

  private void writeVersion(SchemaVersion value) {
    write(SchemaLogCodec.schemaKey(value.subject(), value.version()), SchemaLogCodec.schemaValue(value),
        new SchemaRecord(value.subject(), value.version(), value));
  }

  private void write(byte[] key, byte[] value, LogRecord record) {
    log.append(key, value);
    state.apply(record);
  }

  private SchemaVersion find(String subject, VersionSpec spec) {
    List<SchemaVersion> live = liveVersions(subject);
    if (spec.isLatest()) {
      return live.get(live.size() - 1);
    }
    return live.stream().filter(v -> v.version() == spec.number()).findFirst()
        .orElseThrow(() -> RegistryException.versionNotFound(spec.number()));
  }

  private List<SchemaVersion> liveVersions(String subject) {
    List<SchemaVersion> live = state.versions(subject, false);
    if (live.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return live;
  }

  private StoredSchema stored(SchemaVersion version) {
    return state.schemaById(version.id()).orElseThrow(() -> new IllegalStateException(
        "subject '" + version.subject() + "' version " + version.version() + " points at unknown id " + version.id()));
  }

  private List<Schema> schemas(List<SchemaVersion> versions) {
    return versions.stream().map(v -> stored(v).schema()).toList();
  }

  private VersionView view(SchemaVersion version) {
    return new VersionView(version.subject(), version.version(), version.id(), stored(version).canonical());
  }

  private static Schema parse(SchemaRequest request) {
    String type = request.schemaType();
    if (type != null && !"AVRO".equals(type)) {
      throw RegistryException.invalidSchema("schema type " + type + " is not supported; only AVRO is");
    }
    if (request.hasReferences()) {
      throw RegistryException.invalidSchema("schema references are not supported");
    }
    return AvroSchemas.parse(request.schema());
  }
}
