package dev.tracepipe.ingest;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanLink;
import java.util.Map;

/** Counts the characters of every string in a span, a cheap bound on its encoded size. */
final class SpanSize {
  private SpanSize() {}

  static long chars(Span span) {
    long n = len(span.getTraceId()) + len(span.getSpanId()) + len(span.getParentSpanId()) + len(span.getService())
        + len(span.getName()) + len(span.getStatus().getMessage()) + len(span.getScope())
        + map(span.getAttributes()) + map(span.getResourceAttributes());
    for (SpanEvent event : span.getEvents()) n += len(event.getName()) + map(event.getAttributes());
    for (SpanLink link : span.getLinks()) n += len(link.getTraceId()) + len(link.getSpanId()) + map(link.getAttributes());
    RemotePeer remote = span.getRemote();
    if (remote != null) {
      n += len(remote.getService()) + len(remote.getAddress()) + len(remote.getDbSystem())
          + len(remote.getMessagingSystem()) + len(remote.getMessagingDestination());
    }
    return n;
  }

  private static long map(Map<String, String> map) {
    long n = 0;
    for (Map.Entry<String, String> e : map.entrySet()) n += len(e.getKey()) + len(e.getValue());
    return n;
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }
}
