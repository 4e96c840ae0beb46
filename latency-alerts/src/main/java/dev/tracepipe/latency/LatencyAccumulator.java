package dev.tracepipe.latency;

import dev.tracepipe.alerts.peers.DimensionCell;
import dev.tracepipe.platform.BinarySerde;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * The latency of one operation in one window: a sketch and error count over all its spans, and the same per combination
 * of extra dimension values, at most {@code maxCombinations} of them; later combinations share one overflow bucket
 * whose every dimension value is {@link #OVERFLOW}.
 */
final class LatencyAccumulator {

  static final String OVERFLOW = OperationKey.OVERFLOW;

  /** A sketch of durations, an error count, and (for dimension combinations) a sketch of self times. */
  static final class Cell {
    final LatencySketch sketch;
    long errors;
    LatencySketch self = new LatencySketch();

    Cell(LatencySketch sketch, long errors) {
      this.sketch = sketch;
      this.errors = errors;
    }
  }

  private final Cell total;
  private final Map<Map<String, String>, Cell> byDimensions;
  /** Combinations other than the overflow bucket: what the cap counts. */
  private int regular;

  LatencyAccumulator() {
    this(new Cell(new LatencySketch(), 0), new LinkedHashMap<>());
  }

  private LatencyAccumulator(Cell total, Map<Map<String, String>, Cell> byDimensions) {
    this.total = total;
    this.byDimensions = byDimensions;
    this.regular = (int) byDimensions.keySet().stream().filter(k -> !isOverflow(k)).count();
  }

  Cell total() {
    return total;
  }

  /** Combinations in a stable order (by their text), the overflow bucket included when used. */
  Map<Map<String, String>, Cell> byDimensions() {
    // Each combination's text computed once, not at every comparison.
    List<Map.Entry<String, Map<String, String>>> byText = new ArrayList<>(byDimensions.size());
    byDimensions.keySet().forEach(dims -> byText.add(Map.entry(dims.toString(), dims)));
    byText.sort(Map.Entry.comparingByKey());
    Map<Map<String, String>, Cell> sorted = new LinkedHashMap<>();
    byText.forEach(e -> sorted.put(e.getValue(), byDimensions.get(e.getValue())));
    return Collections.unmodifiableMap(sorted);
  }

  /** Every dimension combination as a cell for peer comparison. */
  List<DimensionCell> cells() {
    List<DimensionCell> cells = new ArrayList<>(byDimensions.size());
    byDimensions().forEach((dims, cell) -> cells.add(new DimensionCell(dims, cell.sketch, cell.errors, cell.self)));
    return cells;
  }

  /**
   * Adds one span.
   *
   * @return how many samples went to the overflow bucket (0 or 1)
   */
  long add(SpanSample sample, int maxCombinations) {
    total.sketch.add(sample.durationNanos());
    total.errors += sample.error() ? 1 : 0;
    if (sample.dimensions().isEmpty()) {
      return 0;
    }
    Map<String, String> key = sample.dimensions();
    Cell cell = byDimensions.get(key);
    if (cell == null) {
      key = bucket(key, maxCombinations);
      cell = cell(key);
    }
    cell.sketch.add(sample.durationNanos());
    cell.self.add(sample.selfNanos());
    cell.errors += sample.error() ? 1 : 0;
    return isOverflow(key) ? 1 : 0;
  }

  /**
   * Merges another window's accumulator into this one: what a rollup is made of.
   *
   * @return how many samples went to the overflow bucket because the merged combinations exceeded the cap
   */
  long merge(LatencyAccumulator other, int maxCombinations) {
    total.sketch.merge(other.total.sketch);
    total.errors += other.total.errors;
    long overflowed = 0;
    for (Map.Entry<Map<String, String>, Cell> e : other.byDimensions().entrySet()) {
      Map<String, String> key = e.getKey();
      Cell cell = byDimensions.get(key);
      if (cell == null) {
        key = bucket(key, maxCombinations);
        cell = cell(key);
      }
      cell.sketch.merge(e.getValue().sketch);
      cell.self.merge(e.getValue().self);
      cell.errors += e.getValue().errors;
      if (isOverflow(key) && !isOverflow(e.getKey())) {
        overflowed += e.getValue().sketch.count();
      }
    }
    return overflowed;
  }

  /** The cell of a combination, new and counted against the cap when it is not there yet. */
  private Cell cell(Map<String, String> key) {
    Cell cell = byDimensions.get(key);
    if (cell == null) {
      cell = new Cell(new LatencySketch(), 0);
      byDimensions.put(key, cell);
      regular += isOverflow(key) ? 0 : 1;
    }
    return cell;
  }

  /** A combination not held yet: itself while the cap allows, else the overflow bucket. */
  private Map<String, String> bucket(Map<String, String> dims, int maxCombinations) {
    if (isOverflow(dims) || regular < maxCombinations) {
      return dims;
    }
    Map<String, String> overflow = new TreeMap<>();
    dims.keySet().forEach(name -> overflow.put(name, OVERFLOW));
    return Collections.unmodifiableMap(overflow);
  }

  private static boolean isOverflow(Map<String, String> dims) {
    return !dims.isEmpty() && dims.values().stream().allMatch(OVERFLOW::equals);
  }

  static Serde<LatencyAccumulator> serde() {
    return BinarySerde.of("latency accumulator", 1, (acc, out) -> {
      writeCell(acc.total, out);
      out.writeInt(acc.byDimensions.size());
      for (Map.Entry<Map<String, String>, Cell> e : acc.byDimensions.entrySet()) {
        out.writeShort(e.getKey().size());
        for (Map.Entry<String, String> d : new TreeMap<>(e.getKey()).entrySet()) {
          out.writeUTF(d.getKey());
          out.writeUTF(d.getValue());
        }
        writeCell(e.getValue(), out);
      }
      // Self times follow everything else, so that an accumulator written before they existed still reads.
      for (Cell cell : acc.byDimensions.values()) {
        BinarySerde.writeBytes(cell.self.toBytes(), out);
      }
    }, in -> {
      Cell total = readCell(in);
      int combinations = in.readInt();
      Map<Map<String, String>, Cell> byDimensions = new LinkedHashMap<>();
      for (int i = 0; i < combinations; i++) {
        int n = in.readUnsignedShort();
        Map<String, String> dims = new TreeMap<>();
        for (int j = 0; j < n; j++) {
          dims.put(in.readUTF(), in.readUTF());
        }
        byDimensions.put(Collections.unmodifiableMap(dims), readCell(in));
      }
      if (in.available() > 0) {
        for (Cell cell : byDimensions.values()) {
          cell.self = LatencySketch.fromBytes(BinarySerde.readBytes(in));
        }
      }
      return new LatencyAccumulator(total, byDimensions);
    });
  }

  private static void writeCell(Cell cell, java.io.DataOutputStream out) throws java.io.IOException {
    out.writeLong(cell.errors);
    BinarySerde.writeBytes(cell.sketch.toBytes(), out);
  }

  private static Cell readCell(java.io.DataInputStream in) throws java.io.IOException {
    long errors = in.readLong();
    return new Cell(LatencySketch.fromBytes(BinarySerde.readBytes(in)), errors);
  }

  @Override
  public String toString() {
    return "LatencyAccumulator{count=" + total.sketch.count() + ", combinations=" + byDimensions.size() + "}";
  }
}
