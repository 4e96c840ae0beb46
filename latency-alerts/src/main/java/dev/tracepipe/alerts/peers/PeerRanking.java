package dev.tracepipe.alerts.peers;

import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the compare view: each value of a dimension (a host, a version) with its percentiles and its p99 over
 * the median p99 of the other values, slowest first.
 */
public final class PeerRanking {

  /** The spans of one value, merged across operations and instances. */
  public static final class Tally {
    final LatencySketch sketch = new LatencySketch();
    long errors;

    public void add(LatencySketch more, long moreErrors) {
      sketch.merge(more);
      errors += moreErrors;
    }

    public LatencySketch sketch() {
      return sketch;
    }

    public long errors() {
      return errors;
    }
  }

  private PeerRanking() {}

  /** Whether a dimension value names a real host or version rather than the overflow bucket. */
  public static boolean comparable(String value) {
    return value != null && !value.equals(Marginals.OVERFLOW);
  }

  public static List<Map<String, Object>> rank(Map<String, Tally> byValue) {
    Map<String, Long> p99 = new LinkedHashMap<>();
    byValue.forEach((value, tally) -> p99.put(value, tally.sketch.quantile(0.99)));
    List<Map<String, Object>> rows = new ArrayList<>();
    byValue.forEach((value, tally) -> {
      List<Long> others = new ArrayList<>();
      p99.forEach((v, p) -> {
        if (!v.equals(value)) {
          others.add(p);
        }
      });
      long peers = others.isEmpty() ? 0 : Marginals.median(others);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("value", value);
      row.put("count", tally.sketch.count());
      row.put("errorCount", tally.errors);
      row.put("p50Nanos", tally.sketch.quantile(0.5));
      row.put("p99Nanos", p99.get(value));
      row.put("peersP99Nanos", peers);
      // No peers to compare with: null rather than a made-up ratio.
      row.put("ratioToPeers", peers > 0 ? (double) p99.get(value) / peers : null);
      rows.add(row);
    });
    rows.sort(Comparator.comparingLong((Map<String, Object> r) -> (Long) r.get("p99Nanos")).reversed()
        .thenComparing(r -> (String) r.get("value")));
    return rows;
  }
}
