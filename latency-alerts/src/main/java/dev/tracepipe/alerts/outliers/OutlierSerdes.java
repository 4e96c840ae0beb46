package dev.tracepipe.alerts.outliers;

import dev.tracepipe.platform.BinarySerde;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/** How the outlier stores keep their values: the Kafka edge of the call shapes and storm gates. */
final class OutlierSerdes {

  static final Serde<CallShape> CALL_SHAPE = BinarySerde.of("call shape", 1, (shape, out) -> {
    out.writeLong(shape.samples());
    out.writeInt(shape.calls().size());
    for (Map.Entry<CallKey, CallShape.Moments> e : shape.calls().entrySet()) {
      out.writeUTF(e.getKey().service());
      out.writeUTF(e.getKey().operation());
      out.writeDouble(e.getValue().mean());
      out.writeDouble(e.getValue().meanOfSquares());
    }
  }, in -> {
    long samples = in.readLong();
    int n = in.readInt();
    Map<CallKey, CallShape.Moments> calls = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      calls.put(new CallKey(in.readUTF(), in.readUTF()), new CallShape.Moments(in.readDouble(), in.readDouble()));
    }
    return new CallShape(samples, calls);
  });

  static final Serde<StormGate.State> STORM_STATE = BinarySerde.of("storm state", 1, (s, out) -> {
    out.writeLong(s.windowStart());
    out.writeLong(s.emitted());
    out.writeLong(s.suppressed());
  }, in -> new StormGate.State(in.readLong(), in.readLong(), in.readLong()));

  private OutlierSerdes() {}
}
