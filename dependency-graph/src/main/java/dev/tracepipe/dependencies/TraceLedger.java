package dev.tracepipe.dependencies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts each trace's calls once across its versions: a later version contributes only its
 * difference from what was counted before (RATIONALE.md, "Trace versions").
 */
final class TraceLedger {

  /** The edge changes to count, and the ledger entry to keep; stale when nothing may change. */
  record Outcome(List<EdgeDelta> deltas, CountedTrace counted, boolean stale) {}

  private TraceLedger() {}

  /**
   * @param previous what was counted for this trace id before, or null
   * @param fragment true for a LATE_FRAGMENT, which holds only late spans: it may add calls but
   *     is no evidence that earlier calls are gone
   */
  static Outcome apply(CountedTrace previous, int version, boolean fragment, List<Call> calls) {
    if (previous == null) return fresh(version, calls);
    if (!fragment && version <= previous.version()) {
      return new Outcome(List.of(), previous, true); // a replay or an out-of-order older version
    }
    Map<String, CountedCall> before = new LinkedHashMap<>();
    for (CountedCall counted : previous.calls()) before.put(counted.id(), counted);
    List<EdgeDelta> deltas = new ArrayList<>();
    List<CountedCall> kept = new ArrayList<>(fragment ? previous.calls() : List.of());
    for (Call call : calls) {
      CountedCall old = fragment ? before.get(call.id()) : before.remove(call.id());
      if (old == null) {
        deltas.add(EdgeDelta.added(call));
        kept.add(CountedCall.of(call));
      } else if (!fragment) {
        kept.add(reconcile(old, call, deltas));
      }
    }
    if (!fragment) {
      for (CountedCall gone : before.values()) deltas.add(EdgeDelta.retracted(gone));
    }
    int nextVersion = fragment ? Math.max(version, previous.version()) : version;
    return new Outcome(deltas, new CountedTrace(nextVersion, kept), false);
  }

  private static Outcome fresh(int version, List<Call> calls) {
    List<EdgeDelta> deltas = new ArrayList<>(calls.size());
    List<CountedCall> counted = new ArrayList<>(calls.size());
    for (Call call : calls) {
      deltas.add(EdgeDelta.added(call));
      counted.add(CountedCall.of(call));
    }
    return new Outcome(deltas, new CountedTrace(version, counted), false);
  }

  /**
   * The same call seen again: unchanged, its error state changed (corrected in the window it was
   * counted in), or it now links a different edge (taken back there, counted anew here).
   */
  private static CountedCall reconcile(CountedCall old, Call call, List<EdgeDelta> deltas) {
    if (!old.edge().equals(call.edge())) {
      deltas.add(EdgeDelta.retracted(old));
      deltas.add(EdgeDelta.added(call));
      return CountedCall.of(call);
    }
    if (old.error() != call.error()) {
      deltas.add(new EdgeDelta(old.edge(), old.timestampMillis(), 0, call.error() ? 1 : -1,
          Call.UNKNOWN, Call.UNKNOWN));
    }
    return new CountedCall(old.id(), old.edge(), call.error(), old.timestampMillis());
  }
}
