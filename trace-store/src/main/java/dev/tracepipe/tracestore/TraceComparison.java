package dev.tracepipe.tracestore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import zipkin2.Span;

/**
 * Compares two traces call by call: a call is a service and operation under its chain of parent calls, so the same
 * operation reached by another path is another call. Answers which calls only one trace made, which were made a
 * different number of times, and which took the most different time.
 */
final class TraceComparison {
  /** How many of the most different durations are reported. */
  static final int TOP_DURATIONS = 10;

  /** One call: its service and operation, and the chain from the root as "service operation > ...". */
  record Call(String service, String operation, String path) {}

  record CallCount(String service, String operation, String path, int countA, int countB) {}

  record DurationDifference(String service, String operation, String path, String spanIdA, String spanIdB,
      long durationA, long durationB, long difference) {}

  record Result(String traceIdA, String traceIdB, List<CallCount> onlyInA, List<CallCount> onlyInB,
      List<CallCount> countsDiffer, List<DurationDifference> durationsDiffer) {}

  private TraceComparison() {}

  static Result compare(List<Span> a, List<Span> b) {
    Map<Call, List<Span>> callsA = calls(a);
    Map<Call, List<Span>> callsB = calls(b);
    List<CallCount> onlyA = new ArrayList<>();
    List<CallCount> onlyB = new ArrayList<>();
    List<CallCount> differ = new ArrayList<>();
    List<DurationDifference> durations = new ArrayList<>();
    Set<Call> all = new TreeSet<>(Comparator.comparing(Call::path));
    all.addAll(callsA.keySet());
    all.addAll(callsB.keySet());
    for (Call call : all) {
      List<Span> inA = callsA.getOrDefault(call, List.of());
      List<Span> inB = callsB.getOrDefault(call, List.of());
      CallCount count = new CallCount(call.service(), call.operation(), call.path(), inA.size(), inB.size());
      if (inB.isEmpty()) {
        onlyA.add(count);
      } else if (inA.isEmpty()) {
        onlyB.add(count);
      } else if (inA.size() != inB.size()) {
        differ.add(count);
      }
      // The n-th call in A is matched with the n-th call in B, both in start order.
      for (int i = 0; i < Math.min(inA.size(), inB.size()); i++) {
        Span x = inA.get(i);
        Span y = inB.get(i);
        long dx = x.durationAsLong();
        long dy = y.durationAsLong();
        durations.add(new DurationDifference(call.service(), call.operation(), call.path(), x.id(), y.id(), dx, dy,
            dy - dx));
      }
    }
    durations.sort(Comparator.comparingLong((DurationDifference d) -> Math.abs(d.difference())).reversed()
        .thenComparing(DurationDifference::path));
    List<DurationDifference> top = durations.stream().filter(d -> d.difference() != 0).limit(TOP_DURATIONS).toList();
    return new Result(traceId(a), traceId(b), onlyA, onlyB, differ, top);
  }

  /** Each span's call, spans of one call in start order. */
  static Map<Call, List<Span>> calls(List<Span> spans) {
    Map<String, Span> client = new HashMap<>();
    Map<String, Span> server = new HashMap<>();
    for (Span span : spans) (Boolean.TRUE.equals(span.shared()) ? server : client).putIfAbsent(span.id(), span);
    List<Span> ordered = new ArrayList<>(spans);
    ordered.sort(Comparator.comparingLong(Span::timestampAsLong).thenComparing(Span::id));
    Map<Call, List<Span>> calls = new LinkedHashMap<>();
    Map<Span, String> paths = new HashMap<>();
    for (Span span : ordered) {
      String path = path(span, client, server, paths, 0);
      calls.computeIfAbsent(new Call(service(span), operation(span), path), k -> new ArrayList<>()).add(span);
    }
    return calls;
  }

  /**
   * A span's parent: for the server half of a shared span, its client half; otherwise the span its parent id names,
   * the server half when the parent id is shared, as a child runs inside the server.
   */
  private static String path(Span span, Map<String, Span> client, Map<String, Span> server, Map<Span, String> paths,
      int depth) {
    String known = paths.get(span);
    if (known != null) return known;
    Span parent;
    if (Boolean.TRUE.equals(span.shared()) && client.containsKey(span.id())) {
      parent = client.get(span.id());
    } else if (span.parentId() != null) {
      parent = server.containsKey(span.parentId()) ? server.get(span.parentId()) : client.get(span.parentId());
    } else {
      parent = null;
    }
    String self = service(span) + " " + operation(span);
    // Depth guard: a cycle of parent ids in bad data must not recurse forever.
    String path = parent == null || parent == span || depth > 500
        ? self : path(parent, client, server, paths, depth + 1) + " > " + self;
    paths.put(span, path);
    return path;
  }

  private static String service(Span span) {
    return Objects.requireNonNullElse(span.localServiceName(), "unknown");
  }

  private static String operation(Span span) {
    return Objects.requireNonNullElse(span.name(), "unknown");
  }

  private static String traceId(List<Span> spans) {
    return spans.isEmpty() ? null : spans.get(0).traceId();
  }
}
