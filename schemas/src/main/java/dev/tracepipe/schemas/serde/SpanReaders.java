package dev.tracepipe.schemas.serde;

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
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Readers of the records every span passes through five times on its way through the pipeline (a trace fragment, a
 * stored span, a trace read by three stages), written against this build's schemas and used only for data written
 * with the same ones (same parsing canonical form); anything else goes through Avro's resolving reader. They build
 * objects equal to Avro's reader's in about half the time. Maps of a trace fragment's spans are default {@link
 * java.util.HashMap}s filled in written order, as Avro's; those of stored spans and traces are {@link
 * EncodedStringMap}s, which answer lookups from their encoding and otherwise behave as that same {@code HashMap}.
 */
final class SpanReaders {

  private static final SpanKind[] SPAN_KINDS = SpanKind.values();
  private static final StatusCode[] STATUS_CODES = StatusCode.values();
  private static final TraceCompletion[] COMPLETIONS = TraceCompletion.values();
  private static final Map<Long, BinaryInput.Reader<?>> BY_FINGERPRINT = Map.of(
      fingerprint(Span.getClassSchema()), SpanReaders::span,
      fingerprint(Trace.getClassSchema()), SpanReaders::trace,
      fingerprint(TraceFragment.getClassSchema()), SpanReaders::fragment);

  private SpanReaders() {}

  /**
   * This build's own reader of records the writer's schema describes, or null when the reader's schema is not one of
   * those it has a reader for or the writer's differs from it.
   */
  @SuppressWarnings("unchecked")
  static <T> BinaryInput.Reader<T> of(Schema writerSchema, Schema readerSchema) {
    long reader = fingerprint(readerSchema);
    return reader == fingerprint(writerSchema) ? (BinaryInput.Reader<T>) BY_FINGERPRINT.get(reader) : null;
  }

  private static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** A span whose attribute maps stay encoded until used ({@link EncodedStringMap}). */
  static Span span(BinaryInput in) throws IOException {
    return span(in, true);
  }

  /**
   * A span whose attribute maps are built at once: for the spans of a trace fragment, which the aggregator encodes
   * and hashes as soon as it has them.
   */
  private static Span eagerSpan(BinaryInput in) throws IOException {
    return span(in, false);
  }

  private static Span span(BinaryInput in, boolean encodedMaps) throws IOException {
    BinaryInput.Reader<Map<String, String>> maps = encodedMaps ? BinaryInput::readEncodedStringMap
        : BinaryInput::readStringMap;
    String traceId = in.readString();
    String spanId = in.readString();
    String parentSpanId = in.readOptionalString();
    boolean shared = in.readBoolean();
    String service = in.readString();
    String name = in.readString();
    SpanKind kind = in.readEnum(SPAN_KINDS);
    long start = in.readLong();
    long duration = in.readLong();
    Status status = new Status(in.readEnum(STATUS_CODES), in.readOptionalString());
    Map<String, String> attributes = maps.read(in);
    Map<String, String> resourceAttributes = maps.read(in);
    var events = in.readArray(e -> new SpanEvent(e.readLong(), e.readString(), maps.read(e)));
    var links = in.readArray(l -> new SpanLink(l.readString(), l.readString(), maps.read(l)));
    RemotePeer remote = in.readPresent() ? remote(in) : null;
    String scope = in.readOptionalString();
    int droppedAttributes = in.readInt();
    int droppedEvents = in.readInt();
    int droppedLinks = in.readInt();
    int truncatedValues = in.readInt();
    boolean untimed = in.readBoolean();
    return new Span(traceId, spanId, parentSpanId, shared, service, name, kind, start, duration, status, attributes,
        resourceAttributes, events, links, remote, scope, droppedAttributes, droppedEvents, droppedLinks,
        truncatedValues, untimed);
  }

  private static RemotePeer remote(BinaryInput in) throws IOException {
    String service = in.readOptionalString();
    String address = in.readOptionalString();
    Integer port = in.readPresent() ? in.readInt() : null;
    return new RemotePeer(service, address, port, in.readOptionalString(), in.readOptionalString(),
        in.readOptionalString());
  }

  static TraceFragment fragment(BinaryInput in) throws IOException {
    return new TraceFragment(in.readArray(SpanReaders::eagerSpan));
  }

  static Trace trace(BinaryInput in) throws IOException {
    String traceId = in.readString();
    int version = in.readInt();
    TraceCompletion completion = in.readEnum(COMPLETIONS);
    var spans = in.readArray(SpanReaders::span);
    long start = in.readLong();
    long end = in.readLong();
    long duration = in.readLong();
    String rootSpanId = in.readOptionalString();
    String rootService = in.readOptionalString();
    String rootOperation = in.readOptionalString();
    int spanCount = in.readInt();
    var services = in.readArray(BinaryInput::readString);
    int errorCount = in.readInt();
    return new Trace(traceId, version, completion, spans, start, end, duration, rootSpanId, rootService,
        rootOperation, spanCount, services, errorCount, quality(in));
  }

  private static TraceQuality quality(BinaryInput in) throws IOException {
    int orphans = in.readInt();
    int roots = in.readInt();
    int duplicates = in.readInt();
    var clockSkew = in.readArray(c -> new ClockSkew(c.readString(), c.readString(), c.readLong()));
    boolean truncated = in.readBoolean();
    int dropped = in.readInt();
    var arrivalSkew = in.readArray(a -> new ArrivalSkew(a.readString(), a.readString(), a.readLong()));
    return new TraceQuality(orphans, roots, duplicates, clockSkew, truncated, dropped, arrivalSkew);
  }
}
