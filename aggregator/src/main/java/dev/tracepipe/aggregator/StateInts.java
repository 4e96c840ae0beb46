package dev.tracepipe.aggregator;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** An immutable list of ints a trace state carries ({@link SpanHashes}, {@link SpanRecords}), equal by content. */
abstract class StateInts {

  final int[] values;

  StateInts(int[] values) {
    this.values = values;
  }

  int size() {
    return values.length;
  }

  int get(int i) {
    return values[i];
  }

  /** Their count, then each, as {@link TraceStateSerde} writes them. */
  void writeTo(ByteBuffer out) {
    out.putInt(values.length);
    for (int value : values) {
      out.putInt(value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && Arrays.equals(values, ((StateInts) o).values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }
}
