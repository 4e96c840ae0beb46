package dev.tracepipe.dependencies;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random traces that exercise every linking rule: all kinds, shared and unflagged server halves,
 * local spans, orphans, several roots, unknown services, loopbacks, errors on either side and
 * peers named by service, database, address or messaging destination.
 */
final class RandomTraces {
  private static final List<String> SERVICES = List.of("web", "app", "auth", "cache", "billing", "");
  private static final SpanKind[] KINDS = SpanKind.values();

  private final Random random;
  private final List<Span> spans = new ArrayList<>();
  private final Map<String, Set<String>> sharedServices = new HashMap<>();
  private long nextId;

  private RandomTraces(Random random) {
    this.random = random;
    this.nextId = 1 + random.nextInt(1000);
  }

  static List<Span> generate(long seed) {
    Random random = new Random(seed);
    RandomTraces generator = new RandomTraces(random);
    int count = 1 + random.nextInt(random.nextInt(10) == 0 ? 60 : 15);
    for (int i = 0; i < count; i++) generator.addSpan();
    List<Span> result = new ArrayList<>(generator.spans);
    Collections.shuffle(result, random);
    return result;
  }

  private void addSpan() {
    SpanKind kind = KINDS[random.nextInt(KINDS.length)];
    String service = pick(SERVICES);
    Span parent = spans.isEmpty() || chance(0.07) ? null : spans.get(random.nextInt(spans.size()));
    String spanId = newId();
    String parentId = parent == null ? null : parent.getSpanId();
    boolean shared = false;
    if (parent == null && chance(spans.isEmpty() ? 0.15 : 0.3)) {
      parentId = newId(); // an orphan: its parent was never reported
    }
    boolean callerKind = parent != null
        && (parent.getKind() == SpanKind.CLIENT || parent.getKind() == SpanKind.PRODUCER);
    if (kind == SpanKind.SERVER && callerKind && !parent.getShared() && chance(0.5)) {
      // a server half that reuses its client's id, flagged or (rarely) not
      // Unflagged halves only across two known services; otherwise they are copies of one span.
      boolean flagged = parent.getKind() != SpanKind.CLIENT || parent.getService().isEmpty()
          || service.isEmpty() || service.equals(parent.getService()) || !chance(0.3);
      if (mayShare(parent.getSpanId(), flagged, service)) {
        spanId = parent.getSpanId();
        shared = flagged;
        parentId = chance(0.7) ? parent.getParentSpanId() : null;
      }
    }
    spans.add(Span.newBuilder()
        .setTraceId("0000000000000000000000000000000a")
        .setSpanId(spanId)
        .setParentSpanId(parentId)
        .setShared(shared)
        .setService(service)
        .setName("op" + random.nextInt(5))
        .setKind(kind)
        .setStartTimeNanos(1_700_000_000_000_000_000L + random.nextInt(1_000_000) * 1000L)
        .setDurationNanos(random.nextInt(100_000) * 1000L)
        .setStatus(new Status(chance(0.15) ? StatusCode.ERROR : StatusCode.UNSET, null))
        .setAttributes(chance(0.05) ? Map.of("error", "timeout") : Map.of())
        .setRemote(chance(0.4) ? null : remote(service))
        .build());
  }

  /**
   * Halves sharing one id must be told apart by a known service; one without a service would be
   * a piece of the same span (Zipkin merges such pieces; the aggregator collapses copies).
   */
  private boolean mayShare(String spanId, boolean flagged, String service) {
    Set<String> services = sharedServices.computeIfAbsent(spanId + (flagged ? "" : "/unflagged"),
        id -> new HashSet<>());
    if (!flagged && !services.isEmpty()) return false;
    if (!services.isEmpty() && (service.isEmpty() || services.contains(service) || services.contains(""))) {
      return false;
    }
    services.add(service);
    return true;
  }

  private RemotePeer remote(String service) {
    return RemotePeer.newBuilder()
        .setService(chance(0.5) ? (chance(0.2) ? service : pick(SERVICES)) : null)
        .setDbSystem(chance(0.2) ? "postgresql" : null)
        .setAddress(chance(0.3) ? "10.0.0." + random.nextInt(3) : null)
        .setMessagingSystem(chance(0.2) ? "kafka" : null)
        .setMessagingDestination(chance(0.2) ? "orders" : null)
        .build();
  }

  private String newId() {
    return String.format("%016x", nextId++);
  }

  private String pick(List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }
}
