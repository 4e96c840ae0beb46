package dev.tracepipe.aggregator;

import java.util.Arrays;

/**
 * The content hashes ({@code Span#hashCode}, which does not depend on map order) of the spans a trace keeps, one per
 * kept span, sorted: an arriving span whose hash is absent is no copy of a kept one, without reading the span store;
 * one whose hash is present is compared with the kept spans themselves. Immutable.
 */
final class SpanHashes extends StateInts {

  static final SpanHashes NONE = new SpanHashes(new int[0]);

  private SpanHashes(int[] sorted) {
    super(sorted);
  }

  /** From hashes in any order. */
  static SpanHashes of(int... hashes) {
    int[] copy = hashes.clone();
    Arrays.sort(copy);
    return new SpanHashes(copy);
  }

  boolean contains(int hash) {
    return Arrays.binarySearch(values, hash) >= 0;
  }

  /** These hashes and one more (twice if already present: distinct spans may share a hash). */
  SpanHashes with(int hash) {
    int at = Arrays.binarySearch(values, hash);
    int insert = at >= 0 ? at : -at - 1;
    int[] more = new int[values.length + 1];
    System.arraycopy(values, 0, more, 0, insert);
    more[insert] = hash;
    System.arraycopy(values, insert, more, insert + 1, values.length - insert);
    return new SpanHashes(more);
  }

  @Override
  public String toString() {
    return values.length + " span hashes";
  }
}
