package dev.tracepipe.schemas.serde;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.TraceFragment;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;

/**
 * Writers of the records ingest and the aggregator encode for every span (a trace fragment, a stored span), written
 * against this build's schemas straight into the serde's buffer: the same bytes as Avro's generated encoders
 * (SpecificWritersTest), without a copy of every string on its way. {@link SpanReaders} reads them back.
 */
final class SpanWriters {

  /** Writes one record's body. */
  interface RecordWriter<T> {
    void write(T record, ByteOutput out);
  }

  private SpanWriters() {}

  /** This build's own writer of records of a schema, or null when it has none. */
  @SuppressWarnings("unchecked")
  static <T> RecordWriter<T> of(Schema schema) {
    if (schema == null) {
      return null;
    }
    if (schema.equals(Span.getClassSchema())) {
      return (RecordWriter<T>) (RecordWriter<Span>) SpanWriters::span;
    }
    if (schema.equals(TraceFragment.getClassSchema())) {
      return (RecordWriter<T>) (RecordWriter<TraceFragment>) SpanWriters::fragment;
    }
    return null;
  }

  static void fragment(TraceFragment fragment, ByteOutput out) {
    array(fragment.getSpans(), SpanWriters::span, out);
  }

  static void span(Span span, ByteOutput out) {
    out.writeString(span.getTraceId());
    out.writeString(span.getSpanId());
    optional(span.getParentSpanId(), out);
    out.writeBoolean(span.getShared());
    out.writeString(span.getService());
    out.writeString(span.getName());
    out.writeLong(span.getKind().ordinal());
    out.writeLong(span.getStartTimeNanos());
    out.writeLong(span.getDurationNanos());
    out.writeLong(span.getStatus().getCode().ordinal());
    optional(span.getStatus().getMessage(), out);
    map(span.getAttributes(), out);
    map(span.getResourceAttributes(), out);
    array(span.getEvents(), SpanWriters::event, out);
    array(span.getLinks(), SpanWriters::link, out);
    RemotePeer remote = span.getRemote();
    if (remote == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      optional(remote.getService(), out);
      optional(remote.getAddress(), out);
      if (remote.getPort() == null) {
        out.writeLong(0);
      } else {
        out.writeLong(1);
        out.writeLong(remote.getPort());
      }
      optional(remote.getDbSystem(), out);
      optional(remote.getMessagingSystem(), out);
      optional(remote.getMessagingDestination(), out);
    }
    optional(span.getScope(), out);
    out.writeLong(span.getDroppedAttributesCount());
    out.writeLong(span.getDroppedEventsCount());
    out.writeLong(span.getDroppedLinksCount());
    out.writeLong(span.getTruncatedValuesCount());
    out.writeBoolean(span.getUntimed());
  }

  private static void event(SpanEvent event, ByteOutput out) {
    out.writeLong(event.getTimeNanos());
    out.writeString(event.getName());
    map(event.getAttributes(), out);
  }

  private static void link(SpanLink link, ByteOutput out) {
    out.writeString(link.getTraceId());
    out.writeString(link.getSpanId());
    map(link.getAttributes(), out);
  }

  /** A union of null and string: the branch, then the string. */
  private static void optional(String value, ByteOutput out) {
    if (value == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      out.writeString(value);
    }
  }

  /** One block of every entry (none when empty), then the empty block that ends a map. */
  private static void map(Map<String, String> map, ByteOutput out) {
    if (!map.isEmpty()) {
      out.writeLong(map.size());
      for (Map.Entry<String, String> e : map.entrySet()) {
        out.writeString(e.getKey());
        out.writeString(e.getValue());
      }
    }
    out.writeLong(0);
  }

  private static <E> void array(Collection<E> items, BiConsumer<E, ByteOutput> item, ByteOutput out) {
    if (!items.isEmpty()) {
      out.writeLong(items.size());
      for (E e : items) {
        item.accept(e, out);
      }
    }
    out.writeLong(0);
  }
}
