package dev.tracepipe.aggregator;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.SpecificWriters;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** Decides what one arriving span does to the kept spans of its trace, the same way whatever order spans come in. */
final class SpanAdmission {

  /** The outcome for an arriving span. */
  enum Outcome {
    /** A new span, kept. */
    ADD,
    /** A copy of a kept span that is preferred to it: it replaces the kept copy. */
    REPLACE,
    /** A copy of a kept span that is not preferred: counted and let go. */
    DUPLICATE,
    /** A new span past the span or byte cap: counted and let go. */
    DROP
  }

  /** Per-trace caps: spans kept and their encoded bytes. */
  record Limits(int maxSpans, long maxBytes) {
    Limits {
      if (maxSpans < 1) {
        throw new IllegalArgumentException("maxSpans < 1: " + maxSpans);
      }
      if (maxBytes < 1) {
        throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
      }
    }
  }

  /**
   * Prefers the longer copy (one reported before the span finished knows less), then the earlier start, then the
   * greater canonical encoding, so the survivor of any set of copies does not depend on their order.
   */
  static final Comparator<Span> PREFERENCE =
      Comparator.comparingLong(Span::getDurationNanos)
          .thenComparing(Comparator.comparingLong(Span::getStartTimeNanos).reversed())
          .thenComparing((a, b) -> Arrays.compareUnsigned(canonicalBytes(a), canonicalBytes(b)));

  private static final SpecificDatumWriter<Span> WRITER = SpecificWriters.of(Span.class);
  private static final ThreadLocal<SizeCounter> SIZE_COUNTER = ThreadLocal.withInitial(SizeCounter::new);

  private SpanAdmission() {}

  /**
   * @param kept the kept copy with the same span id and shared flag, or null
   * @param keptSpans spans kept so far in the trace
   * @param keptBytes their encoded size
   * @param incomingBytes the encoded size of {@code incoming}
   */
  static Outcome admit(Span kept, Span incoming, int keptSpans, long keptBytes, long incomingBytes, Limits limits) {
    Objects.requireNonNull(incoming, "incoming == null");
    Objects.requireNonNull(limits, "limits == null");
    if (kept != null) {
      return PREFERENCE.compare(incoming, kept) > 0 ? Outcome.REPLACE : Outcome.DUPLICATE;
    }
    if (keptSpans >= limits.maxSpans() || keptBytes + incomingBytes > limits.maxBytes()) {
      return Outcome.DROP;
    }
    return Outcome.ADD;
  }

  /** The Avro binary size of a span: what it adds to an encoded trace. Counted, not kept: it runs for every span. */
  static int encodedSize(Span span) {
    SizeCounter counter = SIZE_COUNTER.get();
    counter.count = 0;
    try {
      counter.encoder = EncoderFactory.get().directBinaryEncoder(counter, counter.encoder);
      WRITER.write(span, counter.encoder);
      counter.encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode span " + span.getSpanId(), e);
    }
    return counter.count;
  }

  /** The encoding with every map sorted by key, so equal spans encode equally whatever their maps' order. */
  static byte[] canonicalBytes(Span span) {
    return SpanKeys.canonicalBytes(span);
  }

  /** An output that only counts what is written to it, with the encoder reused for it on its thread. */
  private static final class SizeCounter extends OutputStream {
    int count;
    BinaryEncoder encoder;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
    }
  }
}
