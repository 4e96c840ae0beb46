package dev.tracepipe.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads records in the Confluent wire format, as {@link AvroSerde} does (schema id from the header, resolved from the
 * writer's schema in the registry), into a generated class through an {@link AvroProjection}: only the fields kept
 * are built. It only reads: a projected record is not the whole record and must never be written back.
 */
public final class ProjectionSerde<T extends SpecificRecord> implements Serde<T> {
  private final AvroProjection projection;
  private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
  private SchemaRegistryClient registry;

  private ProjectionSerde(AvroProjection projection) {
    this.projection = projection;
  }

  /** A reading serde for a generated class, through a projection of that class's schema. */
  public static <T extends SpecificRecord> ProjectionSerde<T> of(Class<T> type, AvroProjection projection) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(projection, "projection == null");
    if (!SpecificData.get().getSchema(type).equals(projection.fullSchema())) {
      throw new IllegalArgumentException("the projection is not of " + type.getName() + "'s schema");
    }
    return new ProjectionSerde<>(projection);
  }

  /** Configures and returns this serde, for use outside Kafka's own configure call. */
  public ProjectionSerde<T> configured(Map<String, ?> config, boolean isKey) {
    configure(config, isKey);
    return this;
  }

  @Override
  public void configure(Map<String, ?> config, boolean isKey) {
    this.registry = SchemaRegistryClients.fromConfig(config);
  }

  /** Decodes the fields the projection keeps of a framed message; null stays null (a tombstone). */
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(data);
    DatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
    try {
      return reader.read(null, SerdeScratch.get().decoder(
          data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode Avro record with schema id " + id + " from topic " + topic
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> {
      throw new UnsupportedOperationException("a projection of " + projection.fullSchema().getFullName()
          + " only reads; write records with AvroSerde");
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }

  private DatumReader<T> readerFor(int writerId) {
    if (registry == null) {
      throw new IllegalStateException("ProjectionSerde is not configured: call configure with "
          + SchemaRegistryClients.URL);
    }
    return new ProjectingDatumReader<>(registry.schemaById(writerId), projection);
  }
}
