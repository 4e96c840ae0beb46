package dev.tracepipe.dependencies;

import static dev.tracepipe.platform.BinarySerde.readBytes;
import static dev.tracepipe.platform.BinarySerde.readString;
import static dev.tracepipe.platform.BinarySerde.writeBytes;
import static dev.tracepipe.platform.BinarySerde.writeString;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.platform.BinarySerde;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * Compact binary encodings of the internal records in stores and the repartition topic; each
 * value starts with a format byte so that a later format can read the earlier one.
 */
final class StateSerdes {
  private static final int FORMAT = 1;

  private StateSerdes() {}

  static Serde<EdgeKey> edgeKey() {
    return BinarySerde.of("edge key", FORMAT, StateSerdes::writeEdge, StateSerdes::readEdge);
  }

  static Serde<EdgeStats> edgeStats() {
    return BinarySerde.of("edge stats", FORMAT, (s, out) -> {
      out.writeLong(s.calls());
      out.writeLong(s.errors());
      writeBytes(s.latency().toBytes(), out);
    }, in -> new EdgeStats(in.readLong(), in.readLong(), LatencySketch.fromBytes(readBytes(in))));
  }

  static Serde<CountedTrace> countedTrace() {
    return BinarySerde.of("counted trace", FORMAT, (t, out) -> {
      out.writeInt(t.version());
      out.writeInt(t.calls().size());
      for (CountedCall call : t.calls()) {
        writeString(call.id(), out);
        writeEdge(call.edge(), out);
        out.writeBoolean(call.error());
        out.writeLong(call.timestampMillis());
      }
    }, in -> {
      int version = in.readInt();
      int size = in.readInt();
      List<CountedCall> calls = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        calls.add(new CountedCall(readString(in), readEdge(in), in.readBoolean(), in.readLong()));
      }
      return new CountedTrace(version, calls);
    });
  }

  private static void writeEdge(EdgeKey edge, DataOutputStream out) throws IOException {
    writeString(edge.parent(), out);
    writeString(edge.child(), out);
    out.writeByte(edge.type().ordinal());
  }

  private static EdgeKey readEdge(DataInputStream in) throws IOException {
    return new EdgeKey(readString(in), readString(in), ConnectionType.values()[in.readByte()]);
  }
}
