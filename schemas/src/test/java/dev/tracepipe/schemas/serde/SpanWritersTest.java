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
  void aFragmentsMapsAreWrittenAsItsReadersHashMapIteratesThemAndStoredFromTheirBytes() throws IOException {
    List<Span> spans = SpanReadersTest.randomSpans(new Random(5), 500);
    spans.add(SpanReadersTest.rich());
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      many.put("key." + i * 7919, "value " + i);
    }
    spans.add(Span.newBuilder(SpanReadersTest.rich()).setAttributes(many).build()); // past the sorted maps' size
    List<Span> asSent = new ArrayList<>();
    List<Span> asRead = new ArrayList<>();
    for (Span span : spans) {
      // Attributes in the order a tracer sent them, which is not a HashMap's: here the reverse of it.
      List<String> keys = new ArrayList<>(span.getAttributes().keySet());
      java.util.Collections.reverse(keys);
      Map<String, String> sent = new LinkedHashMap<>();
      keys.forEach(k -> sent.put(k, span.getAttributes().get(k)));
      asSent.add(Span.newBuilder(span).setAttributes(sent).build());
      Map<String, String> read = new HashMap<>();
      sent.forEach(read::put);
      asRead.add(Span.newBuilder(span).setAttributes(read).build());
    }
    byte[] fragment = own(SpanWriters.of(TraceFragment.getClassSchema()), new TraceFragment(asSent));
    assertThat(fragment).isEqualTo(avro(new TraceFragment(asRead)));

    List<Span> encoded = SpanReaders.fragment(new BinaryInput().reset(fragment, 0, fragment.length)).getSpans();
    List<Span> built = SpanReaders.fragment(new BinaryInput().reset(fragment, 0, fragment.length)).getSpans();
    int whole = 0;
    for (int i = 0; i < spans.size(); i++) {
      Span span = encoded.get(i);
      assertThat(span.hashCode()).isEqualTo(asRead.get(i).hashCode());
      built.get(i).getAttributes().size(); // builds the map: written by iterating it
      built.get(i).getResourceAttributes().size();
      byte[] stored = own(SpanWriters.of(Span.getClassSchema()), span);
      assertThat(stored).isEqualTo(own(SpanWriters.of(Span.getClassSchema()), built.get(i)))
          .isEqualTo(avro(asRead.get(i)));
      if (span.getAttributes() instanceof EncodedStringMap map && map.isInIterationOrder() && !map.isBuilt()) {
        whole++;
      }
    }
    assertThat(whole).as("attribute maps stored from their bytes").isGreaterThan(spans.size() / 2);
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
