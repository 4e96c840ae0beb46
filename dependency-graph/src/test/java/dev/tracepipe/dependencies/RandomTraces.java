package dev.tracepipe.dependencies;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.trace.SpanFacts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random traces in the shapes real tracers emit: all kinds, client and server halves sharing an id with and without
 * the shared flag, untimed pieces and halves, local spans, orphans, several roots, missing, "unknown" and defaulted
 * service names, spans known only by their remote endpoint, endpoints told apart by address and port, loopbacks,
 * errors on either side and peers named by service, database, address or messaging destination (or not at all).
 */
final class RandomTraces {
  private static final List<String> SERVICES = List.of("web", "app", "auth", "cache", "billing", "unknown", "");
  private static final SpanKind[] KINDS = SpanKind.values();
  private static final long BASE = 1_700_000_000_000_000_000L;

  private final Random random;
  private final List<Span> spans = new ArrayList<>();
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
    int pieces = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 0;
    for (int i = 0; i < pieces; i++) generator.addUntimedPiece();
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
    String ip = chance(0.3) ? "10.0.0." + random.nextInt(2) : null;
    String port = chance(0.2) ? (chance(0.5) ? "8080" : "9411") : null;
    if (parent != null && chance(0.4)) {
      // a child reported from its parent's process: same service, often the same endpoint
      service = parent.getService();
      ip = chance(0.7) ? parent.getResourceAttributes().get(SpanFacts.HOST_IP) : ip;
      port = chance(0.7) ? parent.getResourceAttributes().get(SpanFacts.HOST_PORT) : port;
    }
    boolean callerKind = parent != null
        && (parent.getKind() == SpanKind.CLIENT || parent.getKind() == SpanKind.PRODUCER);
    if (kind == SpanKind.SERVER && callerKind && chance(0.6)) {
      // a server half that reuses its caller's id, flagged or not, with or without its parent id. Unflagged, it
      // needs two known services, differing: with one or none, Zipkin reads the two as pieces of one span
      // and which remote name wins depends on arrival order, a case no tracer produces on purpose.
      shared = chance(0.7) || parent.getKind() != SpanKind.CLIENT || SpanFacts.service(parent) == null
          || service.isEmpty() || parent.getService().equals(service);
      spanId = parent.getSpanId();
      parentId = chance(0.7) ? parent.getParentSpanId() : null;
    }
    boolean untimed = chance(0.05);
    spans.add(span(spanId, parentId, shared, service, kind, untimed, ip, port));
  }

  /** A piece of an existing span reported apart from it, usually without times (Brave's late annotations). */
  private void addUntimedPiece() {
    if (spans.isEmpty()) return;
    Span of = spans.get(random.nextInt(spans.size()));
    Span.Builder piece = Span.newBuilder(of)
        .setUntimed(chance(0.8))
        .setStartTimeNanos(BASE + random.nextInt(1_000_000) * 1000L)
        .setDurationNanos(chance(0.5) ? 0 : random.nextInt(100_000) * 1000L)
        .setEvents(List.of());
    // A piece repeats its span's kind and remote endpoint, or carries neither (Brave's late annotations).
    if (chance(0.5)) piece.setKind(SpanKind.UNSPECIFIED).setRemote(null);
    if (chance(0.3)) piece.setParentSpanId(null);
    if (chance(0.3)) defaultService(piece);
    if (chance(0.2)) piece.setAttributes(Map.of("error", "late"));
    spans.add(piece.build());
  }

  private Span span(String spanId, String parentId, boolean shared, String service, SpanKind kind, boolean untimed,
      String ip, String port) {
    Map<String, String> resource = new HashMap<>();
    if (ip != null) resource.put(SpanFacts.HOST_IP, ip);
    if (port != null) resource.put(SpanFacts.HOST_PORT, port);
    Span.Builder span = Span.newBuilder()
        .setTraceId("0000000000000000000000000000000a")
        .setSpanId(spanId)
        .setParentSpanId(parentId)
        .setShared(shared)
        .setService(service)
        .setName("op" + random.nextInt(5))
        .setKind(kind)
        .setUntimed(untimed)
        .setStartTimeNanos(BASE + random.nextInt(1_000_000) * 1000L)
        .setDurationNanos(random.nextInt(100_000) * 1000L)
        .setStatus(new Status(chance(0.15) ? StatusCode.ERROR : StatusCode.UNSET, null))
        .setAttributes(chance(0.05) ? Map.of("error", "timeout") : Map.of())
        .setResourceAttributes(resource)
        .setRemote(chance(0.35) ? null : remote(service));
    if (service.isEmpty() && chance(0.5)) defaultService(span);
    return span.build();
  }

  /** What ingest makes of a span that names no service. */
  private static void defaultService(Span.Builder span) {
    Map<String, String> resource = new HashMap<>(span.getResourceAttributes());
    resource.put(SpanFacts.SERVICE_DEFAULTED, "true");
    span.setService("unknown_service").setResourceAttributes(resource);
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
