package dev.tracepipe.latency;

import dev.tracepipe.platform.BinarySerde;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * One span's contribution to its operation's percentiles: duration, whether it failed, its values of the configured
 * extra dimensions, and its self time (what peer comparison judges). The self time is written after everything else,
 * so a sample written before it existed still reads, with its duration as self time.
 */
record SpanSample(long durationNanos, boolean error, Map<String, String> dimensions, long selfNanos) {

  static final Serde<SpanSample> SERDE = BinarySerde.of("span sample", 1, (s, out) -> {
    out.writeLong(s.durationNanos);
    out.writeBoolean(s.error);
    out.writeShort(s.dimensions.size());
    for (Map.Entry<String, String> e : s.dimensions.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeUTF(e.getValue());
    }
    out.writeLong(s.selfNanos);
  }, in -> {
    long duration = in.readLong();
    boolean error = in.readBoolean();
    int n = in.readUnsignedShort();
    Map<String, String> dims = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      dims.put(in.readUTF(), in.readUTF());
    }
    long self = in.available() >= Long.BYTES ? in.readLong() : duration;
    return new SpanSample(duration, error, dims, self);
  });

  SpanSample(long durationNanos, boolean error, Map<String, String> dimensions) {
    this(durationNanos, error, dimensions, durationNanos);
  }

  SpanSample {
    dimensions = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(dimensions, "dimensions == null")));
  }
}
