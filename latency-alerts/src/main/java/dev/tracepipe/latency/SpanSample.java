package dev.tracepipe.latency;

import dev.tracepipe.platform.BinarySerde;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * One span's contribution to its operation's percentiles: duration, whether it failed, and its values of the
 * configured extra dimensions.
 */
record SpanSample(long durationNanos, boolean error, Map<String, String> dimensions) {

  static final Serde<SpanSample> SERDE = BinarySerde.of("span sample", 1, (s, out) -> {
    out.writeLong(s.durationNanos);
    out.writeBoolean(s.error);
    out.writeShort(s.dimensions.size());
    for (Map.Entry<String, String> e : s.dimensions.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeUTF(e.getValue());
    }
  }, in -> {
    long duration = in.readLong();
    boolean error = in.readBoolean();
    int n = in.readUnsignedShort();
    Map<String, String> dims = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      dims.put(in.readUTF(), in.readUTF());
    }
    return new SpanSample(duration, error, dims);
  });

  SpanSample {
    dimensions = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(dimensions, "dimensions == null")));
  }
}
