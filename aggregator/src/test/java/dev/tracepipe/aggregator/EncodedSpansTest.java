package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.TraceAssembler.Emission;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.trace.CanonicalSpans;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Spans encoded once and spliced into the trace give exactly the bytes of the trace encoded whole. */
class EncodedSpansTest {

  private static final String OUTPUT = "traces";
  private final Map<String, String> config = Map.of("schema.registry.url", "mock://encoded-" + UUID.randomUUID());
  private final AvroSerde<Trace> traceSerde = AvroSerde.specific(Trace.class).configured(config, false);
  private final EncodedSpans encoded = newEncodedSpans();

  private EncodedSpans newEncodedSpans() {
    EncodedSpans spans = new EncodedSpans(AvroSerde.specific(Span.class).configured(config, false), traceSerde,
        OUTPUT);
    spans.storeTopic("app", AggregatorTopology.SPAN_STORE);
    return spans;
  }

  @Test
  void splicedSampleTraceEqualsTheTraceEncodedWhole() {
    assertSplicedEqualsWhole(ZipkinJson.sample("smartthings-oauth-authorization.json"));
  }

  @Test
  void splicedTraceEqualsTheWholeEncodingWhenMapsHoldManyEntriesInAnyOrder() {
    Random random = new Random(7);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      spans.add(withManyAttributes(ZipkinJson.sample("skew.json").get(0), String.format("%016x", i), random));
    }
    assertSplicedEqualsWhole(spans);
  }

  @Test
  void keptSpansAreCopiedFromTheirBytesNotEncodedAgain() {
    List<Span> read = new ArrayList<>();
    for (Span span : ZipkinJson.sample("messaging.json")) {
      read.add(encoded.read(encoded.encode(span)));
    }
    Trace trace = assemble(read);
    String original = read.get(0).getName();
    // Changed after reading: a re-encoded span would carry the new name, a spliced one keeps its bytes.
    read.get(0).setName(original + "-changed");
    Trace decoded = traceSerde.deserialize(OUTPUT, encoded.trace(trace));
    assertThat(decoded.getSpans()).extracting(Span::getName).contains(original).doesNotContain(original + "-changed");
  }

  @Test
  void spansStoredWithAnOlderSchemaAreEncodedAgain() {
    Schema current = Span.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    current.getFields().stream().filter(f -> !f.name().equals("untimed"))
        .forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    Schema older = Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
    AvroSerde<GenericRecord> olderSerde = AvroSerde.generic().configured(config, false);
    List<Span> read = new ArrayList<>();
    for (Span span : ZipkinJson.sample("messaging.json")) {
      GenericRecord record = new GenericData.Record(older);
      fields.forEach(f -> record.put(f.name(), span.get(f.name())));
      read.add(encoded.read(olderSerde.serialize("app-" + AggregatorTopology.SPAN_STORE + "-changelog", record)));
    }
    Trace trace = assemble(read);
    assertThat(encoded.trace(trace)).isEqualTo(traceSerde.serialize(OUTPUT, trace));
  }

  @Test
  void canonicalEncodingIsTheTraceModelsWithoutTheDeepCopy() {
    Random random = new Random(11);
    List<Span> spans = new ArrayList<>(ZipkinJson.sample("smartthings-oauth-authorization.json"));
    spans.add(withManyAttributes(spans.get(0), "00000000000000ff", random));
    for (Span span : spans) {
      assertThat(SpanKeys.canonicalBytes(span)).isEqualTo(CanonicalSpans.bytes(span));
    }
  }

  private void assertSplicedEqualsWhole(List<Span> spans) {
    List<Span> read = new ArrayList<>();
    for (Span span : spans) {
      read.add(encoded.read(encoded.encode(span)));
    }
    Trace trace = assemble(read);
    assertThat(encoded.trace(trace)).isEqualTo(traceSerde.serialize(OUTPUT, trace));
  }

  private static Trace assemble(List<Span> spans) {
    return TraceAssembler.assemblePieces(spans.get(0).getTraceId(), spans,
        new Emission(1, TraceCompletion.INACTIVITY_GAP, 0, 0));
  }

  /** Maps filled in random order, larger than the decoder would size them, with events and links that have maps. */
  private static Span withManyAttributes(Span base, String spanId, Random random) {
    Map<String, String> attributes = new HashMap<>();
    Map<String, String> resource = new HashMap<>();
    for (int a = 0; a < 40; a++) {
      attributes.put("key." + random.nextInt(1000), "v" + random.nextInt());
      resource.put("r" + random.nextInt(100), "v" + a);
    }
    Map<String, String> eventAttributes = new HashMap<>(Map.of("b", "1", "a", "2", "c", "3"));
    return Span.newBuilder(base).setSpanId(spanId).setAttributes(attributes).setResourceAttributes(resource)
        .setEvents(List.of(new SpanEvent(base.getStartTimeNanos(), "e", eventAttributes)))
        .setLinks(List.of(new SpanLink(base.getTraceId(), "0000000000000001", new HashMap<>(eventAttributes))))
        .build();
  }
}
