package dev.tracepipe.aggregator;

import dev.tracepipe.avro.ClockSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import dev.tracepipe.trace.HalfMerger;
import dev.tracepipe.trace.SpanFacts;
import dev.tracepipe.trace.UntimedPlacement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Turns the distinct spans of one trace into a {@link Trace}: ordering, root, counts and quality flags. */
final class TraceAssembler {

  /** Start time, then span id, then the client half of a shared id before its server half. */
  static final Comparator<Span> SPAN_ORDER =
      Comparator.comparingLong(Span::getStartTimeNanos)
          .thenComparing(Span::getSpanId)
          .thenComparing(Span::getShared);

  /** Resource attributes that identify the host (and so the clock) a span was timed on, in order of preference. */
  private static final List<String> HOST_KEYS = List.of("host.name", "host.ip", "net.host.ip");

  /** What the caller knows about the trace beyond its spans. */
  record Emission(int version, TraceCompletion completion, int duplicateSpanCount, int droppedSpanCount) {
    Emission {
      Objects.requireNonNull(completion, "completion == null");
      if (version < 1) {
        throw new IllegalArgumentException("version < 1: " + version);
      }
    }
  }

  private TraceAssembler() {}

  /**
   * Assembles a trace from every piece kept for it: pieces of one span are merged by Zipkin's rules, untimed spans
   * nothing completed are placed by their parent and children, and each piece merged away counts as a duplicate.
   */
  static Trace assemblePieces(String traceId, Collection<Span> pieces, Emission emission) {
    Objects.requireNonNull(pieces, "pieces == null");
    Objects.requireNonNull(emission, "emission == null");
    List<Span> merged = UntimedPlacement.place(HalfMerger.merge(pieces));
    int mergedAway = pieces.size() - merged.size();
    return assemble(traceId, merged, new Emission(emission.version(), emission.completion(),
        emission.duplicateSpanCount() + mergedAway, emission.droppedSpanCount()));
  }

  /**
   * Assembles a trace. {@code spans} must already be distinct by (span id, shared flag), as the aggregator's
   * merged spans are; {@link #assemblePieces} merges pieces first.
   */
  static Trace assemble(String traceId, Collection<Span> spans, Emission emission) {
    Objects.requireNonNull(traceId, "traceId == null");
    Objects.requireNonNull(spans, "spans == null");
    Objects.requireNonNull(emission, "emission == null");
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
        .setDuplicateSpanCount(emission.duplicateSpanCount())
        .setClockSkew(skews)
        .setTruncated(emission.droppedSpanCount() > 0)
        .setDroppedSpanCount(emission.droppedSpanCount())
        .build();
    return Trace.newBuilder()
        .setTraceId(traceId)
        .setVersion(emission.version())
        .setCompletion(emission.completion())
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

  static long endOf(Span span) {
    return span.getStartTimeNanos() + Math.max(0, span.getDurationNanos());
  }

  static boolean isRoot(Span span) {
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
