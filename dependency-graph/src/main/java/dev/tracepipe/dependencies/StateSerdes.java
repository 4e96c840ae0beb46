package dev.tracepipe.dependencies;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary encodings of the internal records in stores and the repartition topic; each
 * value starts with a format byte so that a later format can read the earlier one.
 */
final class StateSerdes {
  private static final byte FORMAT = 1;

  private StateSerdes() {}

  @FunctionalInterface
  private interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  static Serde<EdgeKey> edgeKey() {
    return serde(StateSerdes::writeEdge, StateSerdes::readEdge);
  }

  static Serde<EdgeDelta> edgeDelta() {
    return serde((d, out) -> {
      writeEdge(d.edge(), out);
      out.writeLong(d.timestampMillis());
      out.writeInt(d.calls());
      out.writeInt(d.errors());
      out.writeLong(d.clientNanos());
      out.writeLong(d.serverNanos());
    }, in -> new EdgeDelta(readEdge(in), in.readLong(), in.readInt(), in.readInt(), in.readLong(),
        in.readLong()));
  }

  static Serde<EdgeStats> edgeStats() {
    return serde((s, out) -> {
      out.writeLong(s.calls());
      out.writeLong(s.errors());
      byte[] sketch = s.latency().toBytes();
      out.writeInt(sketch.length);
      out.write(sketch);
    }, in -> new EdgeStats(in.readLong(), in.readLong(), LatencySketch.fromBytes(readBytes(in))));
  }

  static Serde<CountedTrace> countedTrace() {
    return serde((t, out) -> {
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

  private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
    return Serdes.serdeFrom((topic, value) -> {
      if (value == null) return null;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(FORMAT);
        writer.write(value, out);
      } catch (IOException e) {
        throw new SerializationException("cannot encode " + value.getClass().getSimpleName(), e);
      }
      return bytes.toByteArray();
    }, (topic, data) -> {
      if (data == null) return null;
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
        byte format = in.readByte();
        if (format != FORMAT) throw new SerializationException("unknown state format " + format);
        return reader.read(in);
      } catch (IOException e) {
        throw new SerializationException("cannot decode state record of " + data.length + " bytes", e);
      }
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

  private static void writeString(String value, DataOutputStream out) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) throw new IOException("negative length " + length);
    return in.readNBytes(length);
  }
}
