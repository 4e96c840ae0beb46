package dev.tracepipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class SpecificWritersTest {

  private static byte[] encode(DatumWriter<Span> writer, Span span) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(span, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static Map<String, String> map(String... keysAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void generatedEncodersWriteWhatTheSchemaWalkingWriterWrites() throws IOException {
    SpecificDatumWriter<Span> walking = new SpecificDatumWriter<>(Span.getClassSchema(), new SpecificData());
    Span rich = Span.newBuilder()
        .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736").setSpanId("00f067aa0ba902b7")
        .setParentSpanId("00f067aa0ba902b1").setShared(true).setService("checkout").setName("GET /cart ü")
        .setKind(SpanKind.CLIENT).setStartTimeNanos(1_714_564_800_000_000_000L).setDurationNanos(-3)
        .setStatus(new Status(StatusCode.ERROR, "boom"))
        .setAttributes(map("http.method", "GET", "http.url", "https://shop/cart?x=1", "b", ""))
        .setResourceAttributes(new LinkedHashMap<>(map("host.name", "node-7", "service.version", "1.2.3")))
        .setEvents(List.of(new SpanEvent(5L, "retry", map("attempt", "2")), new SpanEvent(6L, "done", Map.of())))
        .setLinks(List.of(new SpanLink("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", map("k", "v"))))
        .setRemote(new RemotePeer("db", "10.0.0.1", 5432, "postgresql", null, null))
        .setScope("io.opentelemetry.jdbc").setDroppedAttributesCount(1).setDroppedEventsCount(2)
        .setDroppedLinksCount(3).setTruncatedValuesCount(4).setUntimed(true)
        .build();
    Span sparse = Span.newBuilder()
        .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736").setSpanId("00f067aa0ba902b8").setService("")
        .setName("").setStartTimeNanos(0).setDurationNanos(0).setAttributes(Map.of())
        .setResourceAttributes(Map.of()).build();

    for (Span span : List.of(rich, sparse)) {
      assertThat(encode(SpecificWriters.of(Span.class), span)).isEqualTo(encode(walking, span));
    }
    assertThat(new SpecificData().useCustomCoders()).as("the schema-walking writer really walks").isFalse();
  }
}
