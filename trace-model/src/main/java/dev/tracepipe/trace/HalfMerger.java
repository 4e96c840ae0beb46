package dev.tracepipe.trace;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.trace.SpanFacts.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the pieces of one trace's spans by the rules of Zipkin's {@code Trace.merge}: pieces of one span (same id,
 * same shared flag, endpoints that do not contradict) become one span, and a server half that forgot the shared flag
 * or its parent id gets them from its client (RATIONALE.md, "Merging halves").
 */
public final class HalfMerger {

  /**
   * Zipkin's clean-up order: span id, then unshared before shared and among unshared the client first, then the
   * local endpoint (none first, then by service with unnamed last, address, port).
   */
  static final Comparator<Span> ZIPKIN_ORDER = Comparator.comparing(Span::getSpanId)
      .thenComparing(HalfMerger::compareShared)
      .thenComparing(span -> SpanFacts.endpoint(span), HalfMerger::compareEndpoint);

  /**
   * The order pieces are merged in: Zipkin's, with ties (which Zipkin leaves in arrival order) broken by
   * {@link CanonicalSpans#PREFERRED_FIRST}, so that the result never depends on arrival order.
   */
  public static final Comparator<Span> MERGE_ORDER = ZIPKIN_ORDER.thenComparing(CanonicalSpans.PREFERRED_FIRST);

  private HalfMerger() {}

  /** The merged spans, in {@link #MERGE_ORDER}; the input is not changed. */
  public static List<Span> merge(Collection<Span> pieces) {
    Objects.requireNonNull(pieces, "pieces == null");
    List<Span> sorted = new ArrayList<>(pieces);
    sorted.sort(MERGE_ORDER);
    List<Span> result = new ArrayList<>(sorted.size());
    Span last = null;
    int i = 0;
    while (i < sorted.size()) {
      Span span = sorted.get(i++);
      // Found only when a second piece follows: most spans come in one piece, and finding an endpoint costs lookups.
      EndpointTracker endpoint = null;
      SpanMerge merged = null;
      // Pieces of one span follow each other; merge while the next piece has this id and flag and fits the endpoint.
      while (i < sorted.size()) {
        Span next = sorted.get(i);
        if (!next.getSpanId().equals(span.getSpanId()) || next.getShared() != span.getShared()) {
          break;
        }
        if (endpoint == null) endpoint = new EndpointTracker(SpanFacts.endpoint(span));
        if (!endpoint.tryMerge(SpanFacts.endpoint(next))) {
          break;
        }
        if (merged == null) merged = new SpanMerge(span);
        merged.add(next);
        i++;
      }
      if (merged != null) span = merged.build();
      span = backfillFromClient(last, span);
      result.add(span);
      last = span;
    }
    return result;
  }

  /**
   * Instrumentation that reuses its client's id on the server does not always say so: a SERVER right after a CLIENT
   * of the same id is the shared half, and a shared half without a parent id gets its client's.
   */
  private static Span backfillFromClient(Span last, Span span) {
    if (last == null || !last.getSpanId().equals(span.getSpanId())) return span;
    boolean shared = span.getShared();
    String parentId = span.getParentSpanId();
    if (last.getKind() == SpanKind.CLIENT && span.getKind() == SpanKind.SERVER && !shared) shared = true;
    if (shared && parentId == null && last.getParentSpanId() != null) parentId = last.getParentSpanId();
    if (shared == span.getShared() && Objects.equals(parentId, span.getParentSpanId())) return span;
    Span.Builder out = Span.newBuilder(span).setShared(shared).setParentSpanId(parentId);
    if (shared != span.getShared()) {
      Map<String, String> attributes = new LinkedHashMap<>(span.getAttributes());
      attributes.put(SpanFacts.SHARED_INFERRED, "true");
      out.setAttributes(attributes);
    }
    return out.build();
  }

  /** Unshared first, the client first among them; a half whose flag was inferred sorts as it was reported. */
  private static int compareShared(Span left, Span right) {
    boolean leftShared = reportedShared(left);
    boolean rightShared = reportedShared(right);
    if (leftShared && rightShared) return 0;
    if (leftShared) return 1;
    if (rightShared) return -1;
    boolean leftClient = left.getKind() == SpanKind.CLIENT;
    boolean rightClient = right.getKind() == SpanKind.CLIENT;
    if (leftClient == rightClient) return 0;
    return leftClient ? -1 : 1;
  }

  private static boolean reportedShared(Span span) {
    return span.getShared() && !"true".equals(span.getAttributes().get(SpanFacts.SHARED_INFERRED));
  }

  private static int compareEndpoint(Endpoint left, Endpoint right) {
    if (left == null) return right == null ? 0 : -1;
    if (right == null) return 1;
    int byService = nullsLast(left.service(), right.service());
    if (byService != 0) return byService;
    int byIp = nullsLast(left.ip(), right.ip());
    if (byIp != 0) return byIp;
    return nullsLast(left.port(), right.port());
  }

  private static int nullsLast(String left, String right) {
    if (left == null) return right == null ? 0 : 1;
    if (right == null) return -1;
    return left.compareTo(right);
  }

  /** Endpoints may arrive in pieces too: tracks what is known so far and refuses a contradicting piece. */
  private static final class EndpointTracker {
    private String service;
    private String ip;
    private String port;

    EndpointTracker(Endpoint first) {
      tryMerge(first);
    }

    boolean tryMerge(Endpoint endpoint) {
      if (endpoint == null) return true;
      if (conflicts(service, endpoint.service()) || conflicts(ip, endpoint.ip())
          || conflicts(port, endpoint.port())) {
        return false;
      }
      if (service == null) service = endpoint.service();
      if (ip == null) ip = endpoint.ip();
      if (port == null) port = endpoint.port();
      return true;
    }

    private static boolean conflicts(String known, String incoming) {
      return known != null && incoming != null && !known.equals(incoming);
    }
  }
}
