package dev.tracepipe.trace;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanEvent;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.SpanLink;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Folds pieces of one span into one, the way Zipkin's {@code Span.Builder.merge} does: the first piece's value wins
 * where it has one, the later pieces fill what it lacks, tags of later pieces overwrite, annotations add up.
 */
final class SpanMerge {
  private final Span.Builder out;
  private final Map<String, String> attributes;
  private final Map<String, String> resourceAttributes;
  private final LinkedHashSet<SpanEvent> events;
  private final LinkedHashSet<SpanLink> links;

  SpanMerge(Span first) {
    this.out = Span.newBuilder(first);
    this.attributes = new LinkedHashMap<>(first.getAttributes());
    this.resourceAttributes = new LinkedHashMap<>(first.getResourceAttributes());
    this.events = new LinkedHashSet<>(first.getEvents());
    this.links = new LinkedHashSet<>(first.getLinks());
  }

  void add(Span next) {
    if (out.getParentSpanId() == null) out.setParentSpanId(next.getParentSpanId());
    // INTERNAL is no kind to Zipkin: a remote kind from any piece wins over it.
    if (!remote(out.getKind()) && remote(next.getKind())) out.setKind(next.getKind());
    if (out.getKind() == SpanKind.UNSPECIFIED) out.setKind(next.getKind());
    if (out.getName().isEmpty()) out.setName(next.getName());
    if (out.getUntimed() && !next.getUntimed()) {
      out.setStartTimeNanos(next.getStartTimeNanos()).setUntimed(false);
    }
    if (out.getDurationNanos() == 0) out.setDurationNanos(next.getDurationNanos());
    mergeService(next);
    out.setRemote(mergeRemote(out.getRemote(), next.getRemote()));
    attributes.putAll(next.getAttributes());
    events.addAll(next.getEvents());
    links.addAll(next.getLinks());
    out.setStatus(mergeStatus(out.getStatus(), next.getStatus()));
    if (next.getShared()) out.setShared(true);
    if (out.getScope() == null) out.setScope(next.getScope());
    out.setDroppedAttributesCount(out.getDroppedAttributesCount() + next.getDroppedAttributesCount())
        .setDroppedEventsCount(out.getDroppedEventsCount() + next.getDroppedEventsCount())
        .setDroppedLinksCount(out.getDroppedLinksCount() + next.getDroppedLinksCount())
        .setTruncatedValuesCount(out.getTruncatedValuesCount() + next.getTruncatedValuesCount());
  }

  Span build() {
    List<SpanEvent> sortedEvents = new ArrayList<>(events);
    sortedEvents.sort(Comparator.comparingLong(SpanEvent::getTimeNanos));
    return out.setAttributes(attributes)
        .setResourceAttributes(resourceAttributes)
        .setEvents(sortedEvents)
        .setLinks(new ArrayList<>(links))
        .build();
  }

  /** A piece that names its service completes one that did not (ingest's default name is no name). */
  private void mergeService(Span next) {
    boolean known = !out.getService().isBlank() && !"true".equals(resourceAttributes.get(SpanFacts.SERVICE_DEFAULTED));
    String nextService = SpanFacts.service(next);
    if (!known && nextService != null) {
      out.setService(nextService);
      resourceAttributes.remove(SpanFacts.SERVICE_DEFAULTED);
    }
    for (Map.Entry<String, String> e : next.getResourceAttributes().entrySet()) {
      if (!SpanFacts.SERVICE_DEFAULTED.equals(e.getKey()) || !known && nextService == null) {
        resourceAttributes.putIfAbsent(e.getKey(), e.getValue());
      }
    }
  }

  private static RemotePeer mergeRemote(RemotePeer first, RemotePeer next) {
    if (first == null) return next;
    if (next == null) return first;
    RemotePeer.Builder peer = RemotePeer.newBuilder(first);
    if (SpanFacts.blankToNull(peer.getService()) == null) peer.setService(next.getService());
    if (SpanFacts.blankToNull(peer.getAddress()) == null) peer.setAddress(next.getAddress());
    if (peer.getPort() == null) peer.setPort(next.getPort());
    if (SpanFacts.blankToNull(peer.getDbSystem()) == null) peer.setDbSystem(next.getDbSystem());
    if (SpanFacts.blankToNull(peer.getMessagingSystem()) == null) peer.setMessagingSystem(next.getMessagingSystem());
    if (SpanFacts.blankToNull(peer.getMessagingDestination()) == null) peer.setMessagingDestination(next.getMessagingDestination());
    return peer.build();
  }

  /** An error in any piece fails the span; otherwise OK beats UNSET. */
  private static Status mergeStatus(Status first, Status next) {
    if (rank(next.getCode()) > rank(first.getCode())) return next;
    if (first.getMessage() == null && next.getCode() == first.getCode() && next.getMessage() != null) {
      return new Status(first.getCode(), next.getMessage());
    }
    return first;
  }

  private static int rank(StatusCode code) {
    return switch (code) {
      case ERROR -> 2;
      case OK -> 1;
      default -> 0;
    };
  }

  private static boolean remote(SpanKind kind) {
    return kind == SpanKind.CLIENT || kind == SpanKind.SERVER || kind == SpanKind.PRODUCER
        || kind == SpanKind.CONSUMER;
  }
}
