package dev.tracepipe.schemas.serde;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.TraceFragment;
import java.util.Collection;
import java.util.HashMap;
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

  /**
   * A trace fragment's maps are written in the order the aggregator's decoded {@link java.util.HashMap} iterates them,
   * whatever kind of map they were, so that it can hash and store them from their bytes ({@link EncodedStringMap}).
   */
  static void fragment(TraceFragment fragment, ByteOutput out) {
    array(fragment.getSpans(), (span, o) -> span(span, o, MapOrder.HASH_MAP), out);
  }

  static void span(Span span, ByteOutput out) {
    span(span, out, MapOrder.AS_ITERATED);
  }

  /** How a map's entries are ordered in the encoding. */
  private enum MapOrder {
    /** As the map iterates them. */
    AS_ITERATED,
    /** As a default {@link java.util.HashMap} filled in the map's order would iterate them. */
    HASH_MAP
  }

  private static void span(Span span, ByteOutput out, MapOrder order) {
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
    map(span.getAttributes(), order, out);
    map(span.getResourceAttributes(), order, out);
    array(span.getEvents(), (event, o) -> event(event, order, o), out);
    array(span.getLinks(), (link, o) -> link(link, order, o), out);
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

  private static void event(SpanEvent event, MapOrder order, ByteOutput out) {
    out.writeLong(event.getTimeNanos());
    out.writeString(event.getName());
    map(event.getAttributes(), order, out);
  }

  private static void link(SpanLink link, MapOrder order, ByteOutput out) {
    out.writeString(link.getTraceId());
    out.writeString(link.getSpanId());
    map(link.getAttributes(), order, out);
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

  /**
   * One block of every entry (none when empty), then the empty block that ends a map. An encoded map already in the
   * order writing it would give is copied whole.
   */
  private static void map(Map<String, String> map, MapOrder order, ByteOutput out) {
    if (map instanceof EncodedStringMap encoded && encoded.writeInIterationOrder(out)) {
      return;
    }
    if (order == MapOrder.HASH_MAP && map.size() > 1) {
      if (map.size() <= SORTED_AT_MOST) {
        inHashMapOrder(map, out);
        return;
      }
      // Put one by one: a copy constructor or putAll would size the table for the whole map at once.
      HashMap<String, String> reordered = new HashMap<>();
      map.forEach(reordered::put);
      map = reordered;
    }
    if (!map.isEmpty()) {
      out.writeLong(map.size());
      for (Map.Entry<String, String> e : map.entrySet()) {
        out.writeString(e.getKey());
        out.writeString(e.getValue());
      }
    }
    out.writeLong(0);
  }

  /** Maps of up to this many entries are put in a default HashMap's order by sorting them, larger ones by a copy. */
  private static final int SORTED_AT_MOST = 64;

  /**
   * Writes a map's entries in the order a default {@link HashMap} filled with them in the map's order iterates them:
   * by bin of the table their number grows it to, and within a bin in the map's order (a stable sort by bin). That is
   * the map's order as long as no bin grows long enough to become a tree, which the reader checks for.
   */
  private static void inHashMapOrder(Map<String, String> map, ByteOutput out) {
    int n = map.size();
    int table = 16;
    while (n > table / 4 * 3) {
      table <<= 1;
    }
    String[] keys = new String[n];
    String[] values = new String[n];
    int[] bins = new int[n];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      int hash = e.getKey().hashCode();
      int bin = (hash ^ (hash >>> 16)) & (table - 1);
      int at = i++;
      for (; at > 0 && bins[at - 1] > bin; at--) {
        keys[at] = keys[at - 1];
        values[at] = values[at - 1];
        bins[at] = bins[at - 1];
      }
      keys[at] = e.getKey();
      values[at] = e.getValue();
      bins[at] = bin;
    }
    out.writeLong(n);
    for (int k = 0; k < n; k++) {
      out.writeString(keys[k]);
      out.writeString(values[k]);
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
