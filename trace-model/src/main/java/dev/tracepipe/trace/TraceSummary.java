package dev.tracepipe.trace;

import dev.tracepipe.avro.ClockSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A {@link Trace} from the distinct spans of one trace, as the aggregator emits it and the test kit builds it: span
 * order, bounds, root, services, error count and the quality flags the spans themselves show.
 */
public final class TraceSummary {

  /** Start time, then span id, then the client half of a shared id before its server half. */
  public static final Comparator<Span> SPAN_ORDER =
      Comparator.comparingLong(Span::getStartTimeNanos)
          .thenComparing(Span::getSpanId)
          .thenComparing(Span::getShared);

  /** Resource attributes that identify the host (and so the clock) a span was timed on, in order of preference. */
  private static final List<String> HOST_KEYS = List.of("host.name", "host.ip", "net.host.ip");

  private TraceSummary() {}

  /**
   * The trace of {@code spans}, which must already be distinct by (span id, shared flag), as merged spans are.
   *
   * @param duplicateSpanCount pieces merged away or dropped as copies before, for the quality flags
   * @param droppedSpanCount spans dropped beyond a cap before, for the quality flags
   */
  public static Trace trace(String traceId, int version, TraceCompletion completion, Collection<Span> spans,
      int duplicateSpanCount, int droppedSpanCount) {
    Objects.requireNonNull(traceId, "traceId == null");
    Objects.requireNonNull(completion, "completion == null");
    Objects.requireNonNull(spans, "spans == null");
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(SPAN_ORDER);
    SpanIndex index = new SpanIndex(sorted);

    long start = sorted.isEmpty() ? 0 : Long.MAX_VALUE;
    long end = sorted.isEmpty() ? 0 : Long.MIN_VALUE;
    TreeSet<String> services = new TreeSet<>();
    int errors = 0;
    int orphans = 0;
    List<ClockSkew> skews = new ArrayList<>();
    boolean anyTimed = sorted.stream().anyMatch(span -> !span.getUntimed());
    for (Span span : sorted) {
      // An untimed span's position is derived, or its arrival: it does not stretch a trace that has real times.
      if (!span.getUntimed() || !anyTimed) {
        start = Math.min(start, span.getStartTimeNanos());
        end = Math.max(end, endOf(span));
      }
      if (span.getService() != null && !span.getService().isBlank()) {
        services.add(span.getService());
      }
      if (SpanFacts.isError(span)) {
        errors++;
      }
      if (!isRoot(span)) {
        Span parent = index.parentOf(span);
        if (parent == null) {
          orphans++;
        } else {
          addSkew(span, parent, skews);
        }
      }
    }
    Span root = index.root();
    TraceQuality quality = TraceQuality.newBuilder()
        .setOrphanSpanCount(orphans)
        .setRootCount(index.rootCount())
        .setDuplicateSpanCount(duplicateSpanCount)
        .setClockSkew(skews)
        .setTruncated(droppedSpanCount > 0)
        .setDroppedSpanCount(droppedSpanCount)
        .build();
    return Trace.newBuilder()
        .setTraceId(traceId)
        .setVersion(version)
        .setCompletion(completion)
        .setSpans(sorted)
        .setStartTimeNanos(start)
        .setEndTimeNanos(end)
        .setDurationNanos(end - start)
        .setRootSpanId(root == null ? null : root.getSpanId())
        .setRootService(root == null ? null : root.getService())
        .setRootOperation(root == null ? null : root.getName())
        .setSpanCount(sorted.size())
        .setServices(new ArrayList<>(services))
        .setErrorCount(errors)
        .setQuality(quality)
        .build();
  }

  /** When a span ends; a negative duration counts as none. */
  public static long endOf(Span span) {
    return span.getStartTimeNanos() + Math.max(0, span.getDurationNanos());
  }

  /** A span that names no parent. */
  public static boolean isRoot(Span span) {
    return span.getParentSpanId() == null || span.getParentSpanId().isBlank();
  }
  /**
   * Flags a child timed outside its parent, but only across a process boundary (another service or host): there the
   * two times come from two clocks. Within one process a child outliving its parent is asynchronous work, not skew.
   * Times are reported, never shifted.
   */
  private static void addSkew(Span child, Span parent, List<ClockSkew> skews) {
    if (!crossesProcess(child, parent) || child.getUntimed() || parent.getUntimed()) {
      return;
    }
    long startSkew = child.getStartTimeNanos() - parent.getStartTimeNanos();
    if (startSkew < 0) {
      skews.add(new ClockSkew(child.getSpanId(), parent.getSpanId(), startSkew));
    }
    // A message consumer normally outlives its producer, and a parent without a duration has no known end.
    boolean endKnown = parent.getDurationNanos() > 0;
    boolean asynchronous = parent.getKind() == SpanKind.PRODUCER || child.getKind() == SpanKind.CONSUMER;
    long endSkew = endOf(child) - endOf(parent);
    if (endKnown && !asynchronous && endSkew > 0) {
      skews.add(new ClockSkew(child.getSpanId(), parent.getSpanId(), endSkew));
    }
  }

  private static boolean crossesProcess(Span child, Span parent) {
    if (!Objects.equals(child.getService(), parent.getService())) {
      return true;
    }
    String childHost = host(child);
    String parentHost = host(parent);
    return childHost != null && parentHost != null && !childHost.equals(parentHost);
  }

  private static String host(Span span) {
    for (String key : HOST_KEYS) {
      String value = span.getResourceAttributes().get(key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** The spans of a trace by id; a Zipkin shared id has a client half and a server half. */
  private static final class SpanIndex {
    private final Map<String, Span> clientHalves = new HashMap<>();
    private final Map<String, Span> serverHalves = new HashMap<>();
    private final List<Span> roots = new ArrayList<>();

    SpanIndex(List<Span> sorted) {
      for (Span span : sorted) {
        (span.getShared() ? serverHalves : clientHalves).put(span.getSpanId(), span);
        if (isRoot(span)) {
          roots.add(span);
        }
      }
    }

    /**
     * A server half's parent is its own client half when present. Otherwise the parent is the span named by the
     * parent id, preferring its server half: children of a shared id run in the server's process.
     */
    Span parentOf(Span span) {
      if (span.getShared()) {
        Span client = clientHalves.get(span.getSpanId());
        if (client != null) {
          return client;
        }
      }
      String parentId = span.getParentSpanId();
      Span server = serverHalves.get(parentId);
      return server != null ? server : clientHalves.get(parentId);
    }

    int rootCount() {
      return (int) roots.stream().map(Span::getSpanId).distinct().count();
    }

    /** The earliest root (roots are in span order); for a shared root id, its client half, which began the call. */
    Span root() {
      if (roots.isEmpty()) {
        return null;
      }
      String rootId = roots.get(0).getSpanId();
      for (Span span : roots) {
        if (span.getSpanId().equals(rootId) && !span.getShared()) {
          return span;
        }
      }
      return roots.get(0);
    }
  }
}
