package dev.tracepipe.platform.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import dev.tracepipe.avro.LatencySummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A mergeable latency distribution in nanoseconds: a DDSketch whose every quantile is within {@link #RELATIVE_ACCURACY}
 * of the true value, plus the exact count, minimum, maximum and sum, which the sketch alone only approximates.
 */
public final class LatencySketch {
  /** Every reported quantile q satisfies |q - exact| <= 1% of exact. */
  public static final double RELATIVE_ACCURACY = 0.01;
  // 2048 bins at 1% cover 1 ns .. ~10^17 ns; collapsing only the lowest bins keeps the tail exact in bound.
  private static final int MAX_BINS = 2048;
  private static final int STATE_HEADER = 3 * Long.BYTES;
  private static final ThreadLocal<GrowingByteArrayOutput> SCRATCH =
      ThreadLocal.withInitial(() -> GrowingByteArrayOutput.withInitialCapacity(1024));

  private final DDSketch sketch;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;
  private long sum;

  public LatencySketch() {
    this(newSketch());
  }

  private LatencySketch(DDSketch sketch) {
    this.sketch = sketch;
  }

  private static DDSketch newSketch() {
    return DDSketches.collapsingLowestDense(RELATIVE_ACCURACY, MAX_BINS);
  }

  /** Adds one duration; negative durations are recorded as zero. */
  public LatencySketch add(long nanos) {
    long value = Math.max(0, nanos);
    sketch.accept(value);
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
    return this;
  }

  /** Adds every value of another sketch to this one. */
  public LatencySketch merge(LatencySketch other) {
    if (other.count() == 0) {
      return this;
    }
    sketch.mergeWith(other.sketch);
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    sum += other.sum;
    return this;
  }

  public long count() {
    return Math.round(sketch.getCount());
  }

  /** The value at quantile q (0..1), within the relative accuracy; 0 for an empty sketch. */
  public long quantile(double q) {
    if (count() == 0) {
      return 0;
    }
    // Clamping to the exact extremes can only bring an estimate closer to the truth.
    return Math.max(min, Math.min(max, Math.round(sketch.getValueAtQuantile(q))));
  }

  public long min() {
    return count() == 0 ? 0 : min;
  }

  public long max() {
    return count() == 0 ? 0 : max;
  }

  public double mean() {
    return count() == 0 ? 0 : (double) sum / count();
  }

  /** The summary record, with the sketch in its portable encoding so consumers can merge further. */
  public LatencySummary toSummary() {
    return LatencySummary.newBuilder()
        .setCount(count())
        .setMinNanos(min())
        .setMaxNanos(max())
        .setMeanNanos(mean())
        .setP50Nanos(quantile(0.50))
        .setP75Nanos(quantile(0.75))
        .setP90Nanos(quantile(0.90))
        .setP95Nanos(quantile(0.95))
        .setP99Nanos(quantile(0.99))
        .setP999Nanos(quantile(0.999))
        .setRelativeAccuracy(RELATIVE_ACCURACY)
        .setSketch(ByteBuffer.wrap(encodeSketch()))
        .build();
  }

  /** Rebuilds a sketch from a summary, keeping its exact count, extremes and mean. */
  public static LatencySketch fromSummary(LatencySummary summary) {
    ByteBuffer buffer = summary.getSketch().duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    LatencySketch restored = new LatencySketch(decodeSketch(bytes, 0, bytes.length));
    if (restored.count() > 0) {
      restored.min = summary.getMinNanos();
      restored.max = summary.getMaxNanos();
      restored.sum = Math.round(summary.getMeanNanos() * summary.getCount());
    }
    return restored;
  }

  /** Compact state encoding for stores: exact min, max and sum, then the sketch. */
  public byte[] toBytes() {
    // Stores encode on every update: header and sketch go into one reused buffer, copied out once.
    GrowingByteArrayOutput output = SCRATCH.get();
    output.clear();
    writeLongBigEndian(output, min);
    writeLongBigEndian(output, max);
    writeLongBigEndian(output, sum);
    try {
      sketch.encode(output, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode latency sketch", e);
    }
    return output.trimmedCopy();
  }

  private static void writeLongBigEndian(GrowingByteArrayOutput output, long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      output.writeByte((byte) (value >>> shift));
    }
  }

  public static LatencySketch fromBytes(byte[] bytes) {
    ByteBuffer header = ByteBuffer.wrap(bytes, 0, STATE_HEADER);
    LatencySketch restored = new LatencySketch(decodeSketch(bytes, STATE_HEADER, bytes.length - STATE_HEADER));
    restored.min = header.getLong();
    restored.max = header.getLong();
    restored.sum = header.getLong();
    return restored;
  }

  private byte[] encodeSketch() {
    GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      sketch.encode(output, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode latency sketch", e);
    }
    return output.trimmedCopy();
  }

  private static DDSketch decodeSketch(byte[] bytes, int offset, int length) {
    DDSketch decoded = newSketch();
    try {
      decoded.decodeAndMergeWith(ByteArrayInput.wrap(bytes, offset, length));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a latency sketch encoding: " + e.getMessage(), e);
    }
    return decoded;
  }

}
