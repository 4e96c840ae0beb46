package dev.tracepipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ProjectionSerdeTest {
  private static final Map<String, String> CONFIG = Map.of(SchemaRegistryClients.URL, "mock://projection-serde-test");
  private static final String SPAN = Span.getClassSchema().getFullName();
  private static final AvroProjection PROJECTION = AvroProjection.of(Span.getClassSchema())
      .keepFields(SPAN, "traceId", "spanId", "service", "name", "startTimeNanos", "durationNanos", "status")
      .keepMapKeys(SPAN, "attributes", "error", "absent")
      .build();

  static Span full() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("http.method", "GET");
    attributes.put("error", "timeout");
    attributes.put("http.url", "https://shop.example/cart?id=42");
    return Span.newBuilder(AvroSerdeTest.span())
        .setKind(SpanKind.CLIENT)
        .setStatus(new Status(StatusCode.ERROR, "timeout"))
        .setAttributes(attributes)
        .setResourceAttributes(Map.of("host.name", "web-1"))
        .setEvents(List.of(new SpanEvent(5L, "retry", Map.of("attempt", "2"))))
        .setLinks(List.of(new SpanLink("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", Map.of())))
        .setScope("io.opentelemetry.okhttp")
        .setDroppedAttributesCount(3)
        .build();
  }

  @Test
  void keepsTheFieldsAndMapKeysAskedForAndGivesTheRestTheirDefaults() {
    byte[] bytes = AvroSerde.specific(Span.class).configured(CONFIG, false).serialize("spans", full());
    Span read = ProjectionSerde.of(Span.class, PROJECTION).configured(CONFIG, false).deserialize("spans", bytes);

    Span expected = Span.newBuilder(full())
        .setKind(SpanKind.UNSPECIFIED)
        .setAttributes(Map.of("error", "timeout"))
        .setResourceAttributes(Map.of())
        .setEvents(List.of())
        .setLinks(List.of())
        .setScope(null)
        .setDroppedAttributesCount(0)
        .build();
    assertThat(read).isEqualTo(expected);
    read.getEvents().add(new SpanEvent(1L, "changed", Map.of())); // defaults are fresh copies, not shared
    assertThat(ProjectionSerde.of(Span.class, PROJECTION).configured(CONFIG, false).deserialize("spans", bytes)
        .getEvents()).isEmpty();
  }

  @Test
  void readsDataWrittenWithAnOlderSchemaVersion() {
    Schema old = SchemaBuilder.record("Span").namespace("dev.tracepipe.avro").fields()
        .requiredString("traceId").requiredString("spanId").requiredString("service").requiredString("name")
        .requiredLong("startTimeNanos").requiredLong("durationNanos").endRecord();
    GenericRecord record = new GenericData.Record(old);
    List.of("traceId", "spanId", "service", "name").forEach(f -> record.put(f, f + "-value"));
    record.put("startTimeNanos", 5L);
    record.put("durationNanos", 7L);
    byte[] bytes = AvroSerde.generic().configured(CONFIG, false).serialize("old-spans", record);

    Span read = ProjectionSerde.of(Span.class, PROJECTION).configured(CONFIG, false).deserialize("old-spans", bytes);

    assertThat(read.getService()).isEqualTo("service-value");
    assertThat(read.getDurationNanos()).isEqualTo(7L);
    assertThat(read.getAttributes()).isEmpty();
    assertThat(read.getStatus().getCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void failsOnRecordsItCannotDecodeWithASerializationException() {
    ProjectionSerde<Span> serde = ProjectionSerde.of(Span.class, PROJECTION).configured(CONFIG, false);
    byte[] bytes = AvroSerde.specific(Span.class).configured(CONFIG, false).serialize("spans", full());
    byte[] truncated = java.util.Arrays.copyOf(bytes, 12);
    byte[] unknownId = ByteBuffer.allocate(9).put(WireFormat.MAGIC).putInt(987_654).putInt(1).array();

    assertThatThrownBy(() -> serde.deserialize("spans", truncated)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serde.deserialize("spans", new byte[] {7, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serde.deserialize("spans", unknownId)).isInstanceOf(RuntimeException.class);
    assertThat(serde.deserialize("spans", null)).isNull();
  }

  @Test
  void refusesToLeaveOutAFieldWithoutDefaultOrToWrite() {
    assertThatThrownBy(() -> AvroProjection.of(Span.getClassSchema()).keepFields(SPAN, "traceId").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Span.spanId has no default");
    assertThatThrownBy(() -> ProjectionSerde.of(Span.class, PROJECTION).serializer().serialize("spans", full()))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
