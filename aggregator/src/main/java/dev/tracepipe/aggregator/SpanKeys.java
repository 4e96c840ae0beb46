package dev.tracepipe.aggregator;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.schemas.serde.ByteOutput;
import dev.tracepipe.schemas.serde.SpecificWriters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The span store's key prefix, and the canonical encoding that breaks ties between copies of a span: a shallow copy
 * with its maps sorted (rather than a deep copy of the whole span), encoded into a buffer kept per thread.
 */
final class SpanKeys {

  private static final SpecificDatumWriter<Span> WRITER = SpecificWriters.of(Span.class);
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private SpanKeys() {}

  /** What every span store key of a trace starts with. '/' never occurs in hex ids. */
  static String tracePrefix(String traceId) {
    return traceId + "/";
  }

  /** The Avro encoding with every map sorted by key, so equal spans encode equally whatever their maps' order. */
  static byte[] canonicalBytes(Span span) {
    Scratch scratch = encodeCanonical(span);
    return scratch.out.toByteArray();
  }

  private static Scratch encodeCanonical(Span span) {
    Span copy = new Span();
    for (int i = 0; i < Span.SCHEMA$.getFields().size(); i++) {
      copy.put(i, span.get(i));
    }
    copy.setAttributes(sorted(span.getAttributes()));
    copy.setResourceAttributes(sorted(span.getResourceAttributes()));
    copy.setEvents(sortedEvents(span.getEvents()));
    copy.setLinks(sortedLinks(span.getLinks()));
    Scratch scratch = SCRATCH.get();
    scratch.out.reset();
    try {
      scratch.encoder = EncoderFactory.get().directBinaryEncoder(scratch.out, scratch.encoder);
      WRITER.write(copy, scratch.encoder);
      scratch.encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode span " + span.getSpanId(), e);
    }
    return scratch;
  }

  /** Maps of one entry are already in order, and most event and link maps are that small. */
  private static Map<String, String> sorted(Map<String, String> map) {
    return map == null || map.size() < 2 || map instanceof TreeMap ? map : new TreeMap<>(map);
  }

  private static List<SpanEvent> sortedEvents(List<SpanEvent> events) {
    if (events == null || events.stream().allMatch(e -> sorted(e.getAttributes()) == e.getAttributes())) {
      return events;
    }
    List<SpanEvent> copies = new ArrayList<>(events.size());
    for (SpanEvent e : events) {
      copies.add(new SpanEvent(e.getTimeNanos(), e.getName(), sorted(e.getAttributes())));
    }
    return copies;
  }

  private static List<SpanLink> sortedLinks(List<SpanLink> links) {
    if (links == null || links.stream().allMatch(l -> sorted(l.getAttributes()) == l.getAttributes())) {
      return links;
    }
    List<SpanLink> copies = new ArrayList<>(links.size());
    for (SpanLink l : links) {
      copies.add(new SpanLink(l.getTraceId(), l.getSpanId(), sorted(l.getAttributes())));
    }
    return copies;
  }

  /** A buffer that grows and stays, and the encoder writing into it, for one thread. */
  private static final class Scratch {
    final ByteOutput out = new ByteOutput();
    BinaryEncoder encoder;
  }
}
