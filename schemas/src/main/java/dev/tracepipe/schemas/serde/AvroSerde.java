package dev.tracepipe.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serde in the Confluent Schema Registry wire format, behaving as {@code io.confluent:kafka-avro-serializer}: the
 * schema is registered under {@code <topic>-key} or {@code <topic>-value}, and data is resolved from the writer's
 * schema (looked up by id) to the reader's, so records written with an older schema version stay readable.
 */
public final class AvroSerde<T> implements Serde<T> {
  /** Whether the serializer registers its schema, as in Confluent's serializer; when false it must already exist. */
  public static final String AUTO_REGISTER = "auto.register.schemas";

  private final Schema readerSchema;
  private final boolean generic;
  private SchemaRegistryClient registry;
  private boolean isKey;
  private boolean autoRegister = true;
  private final Map<Integer, BodyReader<T>> readersByWriterId = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<T>> genericWriters = new ConcurrentHashMap<>();
  private volatile DatumWriter<T> writer;
  /** This build's own writer of the reader's schema, where it has one (spans and trace fragments). */
  private final SpanWriters.RecordWriter<T> ownWriter;

  private AvroSerde(Schema readerSchema, boolean generic) {
    this.readerSchema = readerSchema;
    this.generic = generic;
    this.ownWriter = SpanWriters.of(readerSchema);
  }

  /** A serde for a generated Avro class. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type) {
    Objects.requireNonNull(type, "type == null");
    return new AvroSerde<>(SpecificData.get().getSchema(type), false);
  }

  /** A deserializer-minded serde that decodes any record with the schema it was written with. */
  public static AvroSerde<GenericRecord> generic() {
    return new AvroSerde<>(null, true);
  }

  /** Configures and returns this serde, for use outside Kafka's own configure call. */
  public AvroSerde<T> configured(Map<String, ?> config, boolean isKey) {
    configure(config, isKey);
    return this;
  }

  @Override
  public void configure(Map<String, ?> config, boolean isKey) {
    this.registry = SchemaRegistryClients.fromConfig(config);
    this.isKey = isKey;
    Object auto = config.get(AUTO_REGISTER);
    this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
  }

  /** Encodes a record for a topic: header with the registered schema id, then the Avro body. */
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (ownWriter == null) {
      return serialize(topic, record, writer(schemaOf(record)));
    }
    return framed(topic, readerSchema, scratch -> ownWriter.write(record, scratch.out));
  }

  /**
   * Encodes a record for a topic through another writer of the reader's schema, e.g. one that copies parts of the
   * record from bytes encoded earlier instead of encoding them again.
   */
  public byte[] serialize(String topic, T record, DatumWriter<T> writer) {
    if (record == null) {
      return null;
    }
    return framed(topic, schemaOf(record), scratch -> {
      BinaryEncoder encoder = scratch.encoder();
      writer.write(record, encoder);
      encoder.flush();
    });
  }

  /** Writes a record's body after the header. */
  private interface BodyWriter {
    void write(SerdeScratch scratch) throws IOException;
  }

  /** The header with the schema id registered for the topic, then the body, in this thread's buffer, copied out. */
  private byte[] framed(String topic, Schema schema, BodyWriter body) {
    int id = idsByTopic.computeIfAbsent(topic, t -> schemaId(subject(t), schema));
    SerdeScratch scratch = SerdeScratch.get();
    try {
      scratch.out.reset();
      scratch.out.writeHeader(id);
      body.write(scratch);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + schema.getFullName() + " for topic " + topic, e);
    }
    return scratch.out.toByteArray();
  }

  /** The schema id records for a topic are framed with, registering the reader's schema as a serialize would. */
  public int schemaId(String topic) {
    if (readerSchema == null) {
      throw new IllegalStateException("a generic serde frames each record with its own schema");
    }
    return idsByTopic.computeIfAbsent(topic, t -> schemaId(subject(t), readerSchema));
  }

  /** Decodes a framed message into the reader's schema, resolving from the writer's schema. */
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(data);
    BodyReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
    try {
      return reader.read(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode Avro record with schema id " + id + " from topic " + topic
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }

  private String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }

  private int schemaId(String subject, Schema schema) {
    requireConfigured();
    return autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
  }

  private Schema schemaOf(T record) {
    if (readerSchema != null) {
      return readerSchema;
    }
    return ((GenericRecord) record).getSchema();
  }

  private DatumWriter<T> writer(Schema schema) {
    if (generic) {
      return genericWriters.computeIfAbsent(schema, GenericDatumWriter::new);
    }
    if (writer == null) {
      writer = SpecificWriters.of(schema);
    }
    return writer;
  }

  /** Reads a record's body from part of an array. */
  private interface BodyReader<T> {
    T read(byte[] data, int offset, int length) throws IOException;
  }

  private BodyReader<T> readerFor(int writerId) {
    requireConfigured();
    Schema writerSchema = registry.schemaById(writerId);
    if (generic) {
      return avro(new GenericDatumReader<>(writerSchema));
    }
    BinaryInput.Reader<T> own = SpanReaders.of(writerSchema, readerSchema);
    if (own != null) {
      return (data, offset, length) -> own.read(SerdeScratch.get().input(data, offset, length));
    }
    return avro(new SpecificDatumReader<>(writerSchema, readerSchema));
  }

  private static <T> BodyReader<T> avro(DatumReader<T> reader) {
    return (data, offset, length) -> reader.read(null, SerdeScratch.get().decoder(data, offset, length));
  }

  private void requireConfigured() {
    if (registry == null) {
      throw new IllegalStateException("AvroSerde is not configured: call configure with " + SchemaRegistryClients.URL);
    }
  }
}
