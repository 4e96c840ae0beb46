package dev.tracepipe.schemas.serde;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.Utf8;

/**
 * A reader's view of a record schema holding only the fields, and of some maps only the keys, that the reader uses:
 * Avro's schema resolution then skips the rest of each record instead of building its strings, maps and lists.
 */
public final class AvroProjection {
  private final Schema full;
  private final Schema reader;
  private final Map<Schema, int[]> positions = new IdentityHashMap<>();
  private final Map<Schema, List<Dropped>> dropped = new IdentityHashMap<>();
  private final Map<Schema, Set<Utf8>> mapKeys = new IdentityHashMap<>();

  private AvroProjection(Schema full, Map<String, Set<String>> fields, Map<String, Map<String, Set<String>>> keys) {
    this.full = full;
    this.reader = new Projector(fields, keys).project(full);
  }

  /** Starts a projection of a record schema; records not named in it keep all their fields. */
  public static Builder of(Schema full) {
    Objects.requireNonNull(full, "full == null");
    if (full.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("a projection starts at a record, not " + full.getType());
    }
    return new Builder(full);
  }

  /** The schema whose records are projected. */
  public Schema fullSchema() {
    return full;
  }

  /** The reader schema: the full schema with every projected record cut down to the fields kept. */
  public Schema readerSchema() {
    return reader;
  }

  /** For a projected record of the reader schema, the full record's position of each field kept; else null. */
  int[] fullPositions(Schema projectedRecord) {
    return positions.get(projectedRecord);
  }

  /** For a projected record of the reader schema, the full record's fields it leaves out, with their defaults. */
  List<Dropped> droppedFields(Schema projectedRecord) {
    return dropped.get(projectedRecord);
  }

  /**
   * A field left out: its place in the full record and its default, decoded once (looking a default up hashes the
   * whole field schema); a list, map or record default must be copied before each use.
   */
  record Dropped(int position, Schema schema, Object value, boolean mutable) {
    static Dropped of(Schema.Field field) {
      Object value = SpecificData.get().getDefaultValue(field);
      boolean mutable = value instanceof List || value instanceof Map || value instanceof IndexedRecord;
      return new Dropped(field.pos(), field.schema(), value, mutable);
    }
  }

  /** For a map of the reader schema whose keys are filtered, the keys kept; else null. */
  Set<Utf8> keptKeys(Schema projectedMap) {
    return mapKeys.get(projectedMap);
  }

  /** Names what to keep, by record full name and field name. */
  public static final class Builder {
    private final Schema full;
    private final Map<String, Set<String>> fields = new LinkedHashMap<>();
    private final Map<String, Map<String, Set<String>>> keys = new HashMap<>();

    private Builder(Schema full) {
      this.full = full;
    }

    /** Keeps only these fields of the record; a field left out must have a default, which the reader gets. */
    public Builder keepFields(String recordFullName, String... names) {
      fields.computeIfAbsent(recordFullName, r -> new LinkedHashSet<>()).addAll(List.of(names));
      return this;
    }

    /** Keeps the map field (as {@link #keepFields} does) and, of its entries, only those with these keys. */
    public Builder keepMapKeys(String recordFullName, String field, String... mapKeys) {
      keepFields(recordFullName, field);
      keys.computeIfAbsent(recordFullName, r -> new HashMap<>())
          .computeIfAbsent(field, f -> new HashSet<>()).addAll(List.of(mapKeys));
      return this;
    }

    public AvroProjection build() {
      return new AvroProjection(full, fields, keys);
    }
  }

  /** Builds the reader schema, recording for each projected record and filtered map what the reader needs. */
  private final class Projector {
    private final Map<String, Set<String>> fields;
    private final Map<String, Map<String, Set<String>>> keys;
    private final Map<String, Schema> records = new HashMap<>();

    Projector(Map<String, Set<String>> fields, Map<String, Map<String, Set<String>>> keys) {
      this.fields = fields;
      this.keys = keys;
    }

    Schema project(Schema schema) {
      switch (schema.getType()) {
        case RECORD:
          return record(schema);
        case ARRAY: {
          Schema items = project(schema.getElementType());
          return items == schema.getElementType() ? schema : withProps(Schema.createArray(items), schema);
        }
        case MAP: {
          Schema values = project(schema.getValueType());
          return values == schema.getValueType() ? schema : withProps(Schema.createMap(values), schema);
        }
        case UNION: {
          List<Schema> branches = new ArrayList<>();
          boolean changed = false;
          for (Schema branch : schema.getTypes()) {
            Schema projected = project(branch);
            changed |= projected != branch;
            branches.add(projected);
          }
          return changed ? Schema.createUnion(branches) : schema;
        }
        default:
          return schema;
      }
    }

    private Schema record(Schema schema) {
      Schema done = records.get(schema.getFullName());
      if (done != null) return done;
      Set<String> kept = fields.get(schema.getFullName());
      Map<String, Set<String>> keptKeys = keys.getOrDefault(schema.getFullName(), Map.of());
      if (kept != null) {
        for (String name : kept) {
          if (schema.getField(name) == null) {
            throw new IllegalArgumentException(schema.getFullName() + " has no field " + name);
          }
        }
      }
      Schema out = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), schema.isError());
      withProps(out, schema);
      schema.getAliases().forEach(out::addAlias);
      records.put(schema.getFullName(), out); // before the fields, for records that refer to themselves
      List<Schema.Field> outFields = new ArrayList<>();
      List<Dropped> left = new ArrayList<>();
      int[] fullPositions = new int[schema.getFields().size()];
      for (Schema.Field field : schema.getFields()) {
        if (kept != null && !kept.contains(field.name())) {
          if (!field.hasDefaultValue()) {
            throw new IllegalArgumentException(schema.getFullName() + "." + field.name()
                + " has no default, so a projection must keep it");
          }
          left.add(Dropped.of(field));
          continue;
        }
        Set<String> mapKeysKept = keptKeys.get(field.name());
        Schema type = mapKeysKept == null ? project(field.schema()) : filteredMap(schema, field, mapKeysKept);
        fullPositions[outFields.size()] = field.pos();
        outFields.add(new Schema.Field(field, type));
      }
      out.setFields(outFields);
      if (kept != null) {
        positions.put(out, Arrays.copyOf(fullPositions, outFields.size()));
        dropped.put(out, List.copyOf(left));
      }
      return out;
    }

    private Schema filteredMap(Schema record, Schema.Field field, Set<String> kept) {
      if (field.schema().getType() != Schema.Type.MAP) {
        throw new IllegalArgumentException(record.getFullName() + "." + field.name() + " is not a map");
      }
      // A new schema object even when nothing below changes: the reader finds filtered maps by identity.
      Schema map = withProps(Schema.createMap(project(field.schema().getValueType())), field.schema());
      Set<Utf8> utf8 = new HashSet<>();
      kept.forEach(key -> utf8.add(new Utf8(key)));
      mapKeys.put(map, Set.copyOf(utf8));
      return map;
    }

    private Schema withProps(Schema target, Schema source) {
      source.getObjectProps().forEach(target::addProp);
      return target;
    }
  }
}
