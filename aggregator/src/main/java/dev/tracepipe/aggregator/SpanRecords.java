package dev.tracepipe.aggregator;

import java.util.Arrays;

/**
 * Where a trace's kept spans are in the span store: for each of its records, in the order they were written, the
 * number of spans the trace had kept before it (which with the trace id is the record's key). Emission reads those
 * records and the end of late retention deletes them without scanning the store. Immutable.
 */
final class SpanRecords extends StateInts {

  static final SpanRecords NONE = new SpanRecords(new int[0]);

  private SpanRecords(int[] starts) {
    super(starts);
  }

  static SpanRecords of(int... starts) {
    return new SpanRecords(starts.clone());
  }

  /** These records and one written after them. */
  SpanRecords with(int start) {
    int[] more = Arrays.copyOf(values, values.length + 1);
    more[values.length] = start;
    return new SpanRecords(more);
  }

  /**
   * Whether these are every record of a trace that kept {@code keptSpans}: a round's first record starts at none kept,
   * so records added to a state written before they were known never pass for all of them.
   */
  boolean cover(int keptSpans) {
    return values.length == 0 ? keptSpans == 0 : values[0] == 0;
  }

  @Override
  public String toString() {
    return values.length + " span store records";
  }
}
