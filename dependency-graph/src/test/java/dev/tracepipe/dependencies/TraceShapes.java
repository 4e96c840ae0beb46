package dev.tracepipe.dependencies;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.trace.SpanFacts;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Which of the shapes real tracers emit a generated trace contains, so the oracle test can prove it covers them. */
final class TraceShapes {
  static final List<String> ALL = List.of("shared server half", "unflagged server half", "untimed piece of a span",
      "untimed span alone", "client of another service than its parent", "no service", "unknown service",
      "remote endpoint only", "messaging without broker", "child under the client half", "child under the server half",
      "no root", "several roots", "orphan", "database peer", "address peer", "internal with peer");

  private TraceShapes() {}

  static Set<String> of(List<Span> spans) {
    Set<String> shapes = new HashSet<>();
    Map<String, Span> unshared = new HashMap<>();
    Map<String, Set<String>> sharedEndpoints = new HashMap<>();
    Map<String, Integer> piecesById = new HashMap<>();
    for (Span s : spans) {
      if (s.getShared()) {
        sharedEndpoints.computeIfAbsent(s.getSpanId(), id -> new HashSet<>()).add(String.valueOf(SpanFacts.endpoint(s)));
      } else {
        unshared.putIfAbsent(s.getSpanId(), s);
      }
      piecesById.merge(s.getSpanId() + s.getShared(), 1, Integer::sum);
    }
    long roots = spans.stream().filter(s -> !s.getShared() && s.getParentSpanId() == null).count();
    if (roots == 0) shapes.add("no root");
    if (roots > 1) shapes.add("several roots");
    for (Span s : spans) {
      String service = SpanFacts.service(s);
      Span client = unshared.get(s.getSpanId());
      if (s.getShared() && client != null && client.getKind() == SpanKind.CLIENT) shapes.add("shared server half");
      if (!s.getShared() && s.getKind() == SpanKind.SERVER && spans.stream().anyMatch(o -> o != s && !o.getShared()
          && o.getKind() == SpanKind.CLIENT && o.getSpanId().equals(s.getSpanId()))) {
        shapes.add("unflagged server half");
      }
      if (s.getUntimed()) {
        shapes.add(piecesById.get(s.getSpanId() + s.getShared()) > 1 ? "untimed piece of a span" : "untimed span alone");
      }
      Span parent = s.getParentSpanId() == null ? null : unshared.get(s.getParentSpanId());
      if (s.getKind() == SpanKind.CLIENT && parent != null && service != null
          && !Objects.equals(service, SpanFacts.service(parent))) {
        shapes.add("client of another service than its parent");
      }
      if (service == null) shapes.add("no service");
      if ("unknown".equals(service)) shapes.add("unknown service");
      if (service == null && s.getRemote() != null) shapes.add("remote endpoint only");
      Set<String> endpoints = s.getParentSpanId() == null ? null : sharedEndpoints.get(s.getParentSpanId());
      if (!s.getShared() && endpoints != null && parent != null) {
        shapes.add(endpoints.contains(String.valueOf(SpanFacts.endpoint(s)))
            ? "child under the server half" : "child under the client half");
      }
      if (s.getParentSpanId() != null && !s.getShared() && !unshared.containsKey(s.getParentSpanId())
          && !sharedEndpoints.containsKey(s.getParentSpanId())) {
        shapes.add("orphan");
      }
      RemotePeer r = s.getRemote();
      boolean messaging = s.getKind() == SpanKind.PRODUCER || s.getKind() == SpanKind.CONSUMER;
      if (messaging && (r == null || blank(r.getService()) && blank(r.getMessagingSystem())
          && blank(r.getMessagingDestination()))) {
        shapes.add("messaging without broker");
      }
      if (r == null) continue;
      boolean noService = blank(r.getService());
      if (s.getKind() == SpanKind.CLIENT && noService && r.getDbSystem() != null) shapes.add("database peer");
      if (s.getKind() == SpanKind.CLIENT && noService && r.getDbSystem() == null && r.getAddress() != null) {
        shapes.add("address peer");
      }
      if (s.getKind() == SpanKind.INTERNAL && !noService) shapes.add("internal with peer");
    }
    return shapes;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
