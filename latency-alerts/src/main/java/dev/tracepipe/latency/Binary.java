package dev.tracepipe.latency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact encodings of this stage's internal state and repartition values. Each starts with a format byte so that a
 * changed layout is detected instead of misread.
 */
final class Binary {

  /** Writes one value. */
  @FunctionalInterface
  interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  /** Reads one value. */
  @FunctionalInterface
  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private Binary() {}

  static <T> Serde<T> serde(String what, int format, Writer<T> writer, Reader<T> reader) {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : encode(format, value, writer),
        (topic, bytes) -> bytes == null ? null : decode(what, format, bytes, reader));
  }

  static <T> byte[] encode(int format, T value, Writer<T> writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(format);
      writer.write(value, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
    }
    return bytes.toByteArray();
  }

  static <T> T decode(String what, int format, byte[] bytes, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int found = in.readUnsignedByte();
      if (found != format) {
        throw new IllegalArgumentException(what + ": unknown format " + found + ", expected " + format);
      }
      return reader.read(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": truncated or corrupt encoding", e);
    }
  }

  static void writeBytes(byte[] bytes, DataOutputStream out) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("bad length " + length);
    }
    return in.readNBytes(length);
  }
}
