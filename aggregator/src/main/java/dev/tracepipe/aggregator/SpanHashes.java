package dev.tracepipe.aggregator;

import java.util.Arrays;

/**
 * The content hashes ({@code Span#hashCode}, which does not depend on map order) of the spans a trace keeps, one per
 * kept span, sorted: an arriving span whose hash is absent is no copy of a kept one, without reading the span store;
 * one whose hash is present is compared with the kept spans themselves. Immutable.
 */
final class SpanHashes {

  static final SpanHashes NONE = new SpanHashes(new int[0]);

  private final int[] sorted;

  private SpanHashes(int[] sorted) {
    this.sorted = sorted;
  }

  /** From hashes in any order. */
  static SpanHashes of(int... hashes) {
    int[] copy = hashes.clone();
    Arrays.sort(copy);
    return new SpanHashes(copy);
  }

  boolean contains(int hash) {
    return Arrays.binarySearch(sorted, hash) >= 0;
  }

  /** These hashes and one more (twice if already present: distinct spans may share a hash). */
  SpanHashes with(int hash) {
    int at = Arrays.binarySearch(sorted, hash);
    int insert = at >= 0 ? at : -at - 1;
    int[] more = new int[sorted.length + 1];
    System.arraycopy(sorted, 0, more, 0, insert);
    more[insert] = hash;
    System.arraycopy(sorted, insert, more, insert + 1, sorted.length - insert);
    return new SpanHashes(more);
  }

  int size() {
    return sorted.length;
  }

  int get(int i) {
    return sorted[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpanHashes other && Arrays.equals(sorted, other.sorted);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sorted);
  }

  @Override
  public String toString() {
    return sorted.length + " span hashes";
  }
}
