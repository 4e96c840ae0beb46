package dev.tracepipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.ArrivalSkew;
import dev.tracepipe.avro.ClockSkew;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.avro.TraceQuality;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SpanReadersTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private static <T extends SpecificRecord> byte[] encode(T record, EncoderFactory factory, boolean blocking)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // The blocking encoder writes arrays and maps in blocks with negative counts and byte sizes, as Avro allows.
    BinaryEncoder encoder = blocking ? factory.blockingBinaryEncoder(out, null) : factory.binaryEncoder(out, null);
    new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static <T> T avroRead(Schema schema, byte[] bytes) throws IOException {
    return new SpecificDatumReader<T>(schema, schema).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  private static <T> T ownRead(Schema schema, byte[] bytes) throws IOException {
    BinaryInput.Reader<T> reader = SpanReaders.of(schema, schema);
    assertThat(reader).as("a reader of %s", schema.getName()).isNotNull();
    return reader.read(new BinaryInput().reset(bytes, 0, bytes.length));
  }

  private static Map<String, String> map(String... keysAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static Span rich() {
    return Span.newBuilder()
        .setTraceId(TRACE_ID).setSpanId("00f067aa0ba902b7")
        .setParentSpanId("00f067aa0ba902b1").setShared(true).setService("checkout").setName("GET /cart ü")
        .setKind(SpanKind.CLIENT).setStartTimeNanos(1_714_564_800_000_000_000L).setDurationNanos(-3)
        .setStatus(new Status(StatusCode.ERROR, "boom"))
        .setAttributes(map("http.method", "GET", "http.url", "https://shop/cart?x=1", "b", "", "long", "x".repeat(300)))
        .setResourceAttributes(map("host.name", "node-7", "service.version", "1.2.3"))
        .setEvents(List.of(new SpanEvent(5L, "retry", map("attempt", "2")), new SpanEvent(6L, "done", map())))
        .setLinks(List.of(new SpanLink("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", map("k", "v"))))
        .setRemote(new RemotePeer("db", "10.0.0.1", 5432, "postgresql", null, "orders"))
        .setScope("io.opentelemetry.jdbc").setDroppedAttributesCount(1).setDroppedEventsCount(2)
        .setDroppedLinksCount(3).setTruncatedValuesCount(4).setUntimed(true)
        .build();
  }

  static Span sparse() {
    return Span.newBuilder()
        .setTraceId(TRACE_ID).setSpanId("00f067aa0ba902b8").setService("").setName("")
        .setStartTimeNanos(Long.MIN_VALUE).setDurationNanos(Long.MAX_VALUE).setAttributes(map())
        .setResourceAttributes(map()).setRemote(new RemotePeer(null, null, null, null, null, null)).build();
  }

  private static Trace trace(List<Span> spans) {
    TraceQuality quality = new TraceQuality(1, 2, 3,
        List.of(new ClockSkew("00f067aa0ba902b7", "00f067aa0ba902b1", -17L)), true, 4,
        List.of(new ArrivalSkew("00f067aa0ba902b8", "checkout", 1_000_000_000L)));
    return new Trace(TRACE_ID, 3, TraceCompletion.LATE_UPDATE, spans, 1L, 2L, 1L, "00f067aa0ba902b1", "web",
        "GET /", spans.size(), List.of("web", "checkout"), 1, quality);
  }

  /** Spans with up to 40 attributes (maps grow through several resizes), a few values long or not ASCII. */
  static List<Span> randomSpans(Random random, int count) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, String> attributes = new HashMap<>();
      for (int a = random.nextInt(40); a > 0; a--) {
        String key = "attr." + random.nextInt(random.nextBoolean() ? 20 : 20_000);
        String value = random.nextInt(4) == 0 ? Long.toHexString(random.nextLong()) : "v" + random.nextInt(50);
        attributes.put(key, random.nextInt(20) == 0 ? value.repeat(20) : value);
      }
      spans.add(Span.newBuilder(rich())
          .setSpanId(String.format("%016x", random.nextLong()))
          .setParentSpanId(random.nextBoolean() ? null : String.format("%016x", random.nextLong()))
          .setService("service-" + random.nextInt(30)).setName("op-" + random.nextInt(500) + "-ü")
          .setKind(SpanKind.values()[random.nextInt(SpanKind.values().length)])
          .setStartTimeNanos(random.nextLong()).setDurationNanos(random.nextLong())
          .setAttributes(attributes)
          .setRemote(random.nextBoolean() ? null : rich().getRemote())
          .setScope(random.nextBoolean() ? null : "scope-" + random.nextInt(5))
          .build());
    }
    return spans;
  }

  private static void assertSameObjects(Object own, Object avro) {
    assertThat(own).isEqualTo(avro);
    // Equal maps iterating in another order would re-encode differently downstream.
    assertThat(own.toString()).isEqualTo(avro.toString());
  }

  @Test
  void readsWhatAvrosReaderReadsInTheSameOrder() throws IOException {
    List<Span> spans = new ArrayList<>(List.of(rich(), sparse()));
    spans.addAll(randomSpans(new Random(7), 2_000));
    for (boolean blocking : new boolean[] {false, true}) {
      for (Span span : spans) {
        byte[] bytes = encode(span, EncoderFactory.get(), blocking);
        assertSameObjects(ownRead(Span.getClassSchema(), bytes), avroRead(Span.getClassSchema(), bytes));
      }
      byte[] trace = encode(trace(spans.subList(0, 300)), EncoderFactory.get(), blocking);
      assertSameObjects(ownRead(Trace.getClassSchema(), trace), avroRead(Trace.getClassSchema(), trace));
      byte[] fragment = encode(new TraceFragment(spans.subList(0, 50)), EncoderFactory.get(), blocking);
      assertSameObjects(ownRead(TraceFragment.getClassSchema(), fragment),
          avroRead(TraceFragment.getClassSchema(), fragment));
    }
  }

  @Test
  void aRecordCutShortOrCorruptIsAnErrorNeverAWrongRecord() throws IOException {
    byte[] bytes = encode(trace(List.of(rich(), sparse())), EncoderFactory.get(), false);
    for (int length = 0; length < bytes.length; length++) {
      int cut = length;
      assertThatThrownBy(() -> SpanReaders.trace(new BinaryInput().reset(bytes, 0, cut)))
          .as("cut at %d of %d bytes", cut, bytes.length).isInstanceOf(IOException.class);
    }
    byte[] badEnum = encode(sparse(), EncoderFactory.get(), false);
    // kind follows trace id (1 + 32 bytes), span id (1 + 16), parent (1), shared (1), service (1) and name (1).
    int kind = 33 + 17 + 4;
    assertThat(badEnum[kind]).isEqualTo((byte) 0);
    badEnum[kind] = 40;
    assertThatThrownBy(() -> SpanReaders.span(new BinaryInput().reset(badEnum, 0, badEnum.length)))
        .isInstanceOf(IOException.class).hasMessageContaining("enum index 20");
  }

  @Test
  void onlyTheSameSchemaIsReadHereAndAnythingElseByAvro() {
    assertThat(SpanReaders.<Span>of(Span.getClassSchema(), Span.getClassSchema())).isNotNull();
    Schema older = SchemaBuilder.record("Span").namespace("dev.tracepipe.avro").fields()
        .requiredString("traceId").requiredString("spanId").endRecord();
    assertThat(SpanReaders.<Span>of(older, Span.getClassSchema())).isNull();
    assertThat(SpanReaders.<Trace>of(Span.getClassSchema(), Trace.getClassSchema())).isNull();
    Schema other = SchemaBuilder.record("Other").fields().requiredString("a").endRecord();
    assertThat(SpanReaders.<Object>of(other, other)).isNull();
  }

  @Test
  void theSerdeReadsItsOwnSchemaHereAndReportsACutRecord() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class)
        .configured(Map.of(SchemaRegistryClients.URL, "mock://specific-readers-test"), false);
    byte[] bytes = serde.serialize("spans", rich());
    assertSameObjects(serde.deserialize("spans", bytes), rich());
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    assertThatThrownBy(() -> serde.deserialize("spans", cut))
        .isInstanceOf(SerializationException.class).hasMessageContaining("from topic spans");
  }
}
