package dev.tracepipe.trace;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.schemas.serde.SpecificWriters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** A total order on spans that does not depend on how they arrived, so choices among copies are reproducible. */
public final class CanonicalSpans {

  private static final SpecificDatumWriter<Span> WRITER = SpecificWriters.of(Span.class);

  /**
   * Timed before untimed, then the longer (a copy reported before the span finished knows less), then the earlier
   * start, then the greater canonical encoding.
   */
  public static final Comparator<Span> PREFERRED_FIRST =
      Comparator.comparing(Span::getUntimed)
          .thenComparing(Comparator.comparingLong(Span::getDurationNanos).reversed())
          .thenComparingLong(Span::getStartTimeNanos)
          .thenComparing((a, b) -> Arrays.compareUnsigned(bytes(b), bytes(a)));

  private CanonicalSpans() {}

  /** The Avro encoding with every map sorted by key, so equal spans encode equally whatever their maps' order. */
  public static byte[] bytes(Span span) {
    Span copy = Span.newBuilder(span).build();
    copy.setAttributes(new TreeMap<>(copy.getAttributes()));
    copy.setResourceAttributes(new TreeMap<>(copy.getResourceAttributes()));
    for (SpanEvent event : copy.getEvents()) event.setAttributes(new TreeMap<>(event.getAttributes()));
    for (SpanLink link : copy.getLinks()) link.setAttributes(new TreeMap<>(link.getAttributes()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      WRITER.write(copy, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode span " + span.getSpanId(), e);
    }
    return out.toByteArray();
  }
}
