package dev.tracepipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private static final Map<String, String> CONFIG = Map.of(SchemaRegistryClients.URL, "mock://avro-serde-test");

  static Span span() {
    return Span.newBuilder()
        .setTraceId("0af7651916cd43dd8448eb211c80319c")
        .setSpanId("b7ad6b7169203331")
        .setService("frontend")
        .setName("GET /cart")
        .setKind(SpanKind.SERVER)
        .setStartTimeNanos(1_700_000_000_000_000_000L)
        .setDurationNanos(12_000_000L)
        .setAttributes(Map.of("http.method", "GET"))
        .build();
  }

  @Test
  void roundTripsThroughTheWireFormat() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(CONFIG, false);
    byte[] bytes = serde.serialize("spans", span());

    assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertThat(SchemaRegistryClients.fromConfig(CONFIG).schemaById(id)).isEqualTo(Span.getClassSchema());
    assertThat(serde.deserialize("spans", bytes)).isEqualTo(span());
  }

  @Test
  void readsDataWrittenWithAnOlderSchemaVersion() throws Exception {
    // An older Span that had neither kind nor attributes: the reader fills in the defaults.
    Schema old = SchemaBuilder.record("Span").namespace("dev.tracepipe.avro").fields()
        .requiredString("traceId").requiredString("spanId").requiredString("service").requiredString("name")
        .requiredLong("startTimeNanos").requiredLong("durationNanos").endRecord();
    GenericRecord record = new GenericData.Record(old);
    record.put("traceId", "0af7651916cd43dd8448eb211c80319c");
    record.put("spanId", "b7ad6b7169203331");
    record.put("service", "legacy");
    record.put("name", "op");
    record.put("startTimeNanos", 5L);
    record.put("durationNanos", 7L);
    int id = SchemaRegistryClients.fromConfig(CONFIG).register("old-spans-value", old);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(old).write(record, encoder);
    encoder.flush();

    Span span = AvroSerde.specific(Span.class).configured(CONFIG, false).deserialize("old-spans", out.toByteArray());

    assertThat(span.getService()).isEqualTo("legacy");
    assertThat(span.getKind()).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(span.getAttributes()).isEmpty();
    assertThat(span.getParentSpanId()).isNull();
  }

  @Test
  void genericSerdeDecodesWithTheWritersSchema() {
    byte[] bytes = AvroSerde.specific(Span.class).configured(CONFIG, false).serialize("spans", span());
    GenericRecord decoded = AvroSerde.generic().configured(CONFIG, false).deserialize("spans", bytes);
    assertThat(decoded.get("service").toString()).isEqualTo("frontend");
  }

  @Test
  void rejectsBytesWithoutTheMagicByte() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(CONFIG, false);
    assertThatThrownBy(() -> serde.deserialize("spans", new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("unknown magic byte 1");
    assertThatThrownBy(() -> serde.deserialize("spans", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("shorter than the 5-byte header");
  }

  @Test
  void reportsAnUnknownSchemaId() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(CONFIG, false);
    assertThatThrownBy(() -> serde.deserialize("spans", new byte[] {0, 0, 0, 0x7f, 0x7f, 2}))
        .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("40403");
  }

  @Test
  void withoutAutoRegisterTheSchemaMustExist() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class)
        .configured(Map.of(SchemaRegistryClients.URL, "mock://no-auto", AvroSerde.AUTO_REGISTER, "false"), false);
    assertThatThrownBy(() -> serde.serialize("spans", span())).isInstanceOf(SchemaRegistryException.class);
  }
}
