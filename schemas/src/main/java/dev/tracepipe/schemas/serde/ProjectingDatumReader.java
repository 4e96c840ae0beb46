package dev.tracepipe.schemas.serde;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;

/**
 * Reads generated Avro classes through a projection: the fields kept land at their place in the full class, the
 * fields left out get their defaults, and filtered maps keep only the keys asked for, skipping the other values.
 */
final class ProjectingDatumReader<T> extends SpecificDatumReader<T> {
  /** Avro's fast reader sets fields at their place in the reader schema, which a projection moves: not used here. */
  private static final SpecificData DATA = classicReading();
  private final AvroProjection projection;

  ProjectingDatumReader(Schema writer, AvroProjection projection) {
    super(writer, projection.readerSchema(), DATA);
    this.projection = projection;
  }

  @Override
  protected Object readRecord(Object old, Schema expected, ResolvingDecoder in) throws IOException {
    int[] fullPositions = projection.fullPositions(expected);
    if (fullPositions == null) return super.readRecord(old, expected, in);
    Object created = getSpecificData().newRecord(null, expected);
    if (!(created instanceof IndexedRecord record) || record.getSchema() == expected) {
      // A generic record has the projected layout, so the positions of the full class do not apply.
      throw new IllegalStateException("no generated class for " + expected.getFullName() + " on the class path");
    }
    for (Schema.Field field : in.readFieldOrder()) {
      record.put(fullPositions[field.pos()], read(null, field.schema(), in));
    }
    for (AvroProjection.Dropped field : projection.droppedFields(expected)) {
      record.put(field.position(), field.mutable() ? DATA.deepCopy(field.schema(), field.value()) : field.value());
    }
    return record;
  }

  @Override
  protected Object readMap(Object old, Schema expected, ResolvingDecoder in) throws IOException {
    Set<Utf8> kept = projection.keptKeys(expected);
    if (kept == null) return super.readMap(old, expected, in);
    Schema values = expected.getValueType();
    boolean javaStrings = findStringClass(expected) == String.class;
    Map<Object, Object> map = new HashMap<>();
    Utf8 key = new Utf8();
    for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
      for (long i = 0; i < n; i++) {
        key = in.readString(key);
        if (kept.contains(key)) {
          map.put(javaStrings ? key.toString() : new Utf8(key), read(null, values, in));
        } else if (values.getType() == Schema.Type.STRING) {
          in.skipString();
        } else {
          read(null, values, in); // read only to move past it
        }
      }
    }
    return map;
  }

  private static SpecificData classicReading() {
    SpecificData data = new SpecificData(ProjectingDatumReader.class.getClassLoader());
    data.setFastReaderEnabled(false);
    return data;
  }
}
