package dev.tracepipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceFragment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SpanWritersTest {

  /** Avro's schema-walking writer: the reference for every byte. */
  private static <T extends SpecificRecord> byte[] avro(T record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(record.getSchema(), new SpecificData()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static <T> byte[] own(SpanWriters.RecordWriter<T> writer, T record) {
    ByteOutput out = new ByteOutput();
    writer.write(record, out);
    return out.toByteArray();
  }

  @Test
  void writesWhatAvrosWriterWrites() throws IOException {
    List<Span> spans = new ArrayList<>(List.of(SpanReadersTest.rich(), SpanReadersTest.sparse()));
    spans.addAll(SpanReadersTest.randomSpans(new Random(11), 2_000));
    Map<String, String> unusual = new LinkedHashMap<>();
    unusual.put("ascii", "plain");
    unusual.put("latin-1 é", "ü");
    unusual.put("wide", "日本語 and ascii after");
    unusual.put("surrogate pair", "😀");
    unusual.put("unpaired surrogate", "a\uD800b");
    unusual.put("control", "\u0000\u007f");
    unusual.put("", "");
    spans.add(Span.newBuilder(SpanReadersTest.rich()).setAttributes(unusual).setName("x".repeat(100_000)).build());
    for (Span span : spans) {
      assertThat(own(SpanWriters.of(Span.getClassSchema()), span)).isEqualTo(avro(span));
    }
    TraceFragment fragment = new TraceFragment(spans.subList(0, 100));
    assertThat(own(SpanWriters.of(TraceFragment.getClassSchema()), fragment)).isEqualTo(avro(fragment));
    assertThat(own(SpanWriters.of(TraceFragment.getClassSchema()), new TraceFragment(List.of())))
        .isEqualTo(avro(new TraceFragment(List.of())));
    assertThat(SpanWriters.<Trace>of(Trace.getClassSchema())).as("traces are written around stored spans").isNull();
  }

  @Test
  void longsTakeTheirZigZagVarintBytes() throws IOException {
    for (long value : new long[] {0, 1, -1, 63, -64, 64, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
        Long.MIN_VALUE}) {
      ByteOutput out = new ByteOutput();
      out.writeLong(value);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
      encoder.writeLong(value);
      encoder.flush();
      assertThat(out.toByteArray()).as("%d", value).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void theSerdeFramesWhatItsOwnWriterWroteAndReadsItBack() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class)
        .configured(Map.of(SchemaRegistryClients.URL, "mock://span-writers-test"), false);
    Span span = Span.newBuilder(SpanReadersTest.rich()).setAttributes(new HashMap<>(Map.of("k", "v"))).build();
    byte[] framed = serde.serialize("spans", span);
    assertThat(java.util.Arrays.copyOfRange(framed, WireFormat.HEADER_SIZE, framed.length)).isEqualTo(
        own(SpanWriters.of(Span.getClassSchema()), span));
    assertThat(serde.deserialize("spans", framed)).isEqualTo(span);
  }
}
