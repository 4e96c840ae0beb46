package dev.tracepipe.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact encodings of a stage's internal state and repartition values. Each starts with a format byte so that a
 * changed layout is detected instead of misread.
 */
public final class BinarySerde {

  /** Writes one value. */
  @FunctionalInterface
  public interface Writer<T> {
    void write(T value, DataOutputStream out) throws IOException;
  }

  /** Reads one value. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private BinarySerde() {}

  /** A serde writing {@code format} first; {@code what} names the values in errors. Null stays null. */
  public static <T> Serde<T> of(String what, int format, Writer<T> writer, Reader<T> reader) {
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : encode(what, format, value, writer),
        (topic, bytes) -> bytes == null ? null : decode(what, format, bytes, reader));
  }

  public static <T> byte[] encode(String what, int format, T value, Writer<T> writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(format);
      writer.write(value, out);
    } catch (IOException e) {
      throw new SerializationException(what + ": cannot encode " + value.getClass().getSimpleName(), e);
    }
    return bytes.toByteArray();
  }

  public static <T> T decode(String what, int format, byte[] bytes, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int found = in.readUnsignedByte();
      if (found != format) {
        throw new SerializationException(what + ": unknown state format " + found + ", expected " + format);
      }
      return reader.read(in);
    } catch (IOException e) {
      throw new SerializationException(what + ": truncated or corrupt encoding of " + bytes.length + " bytes", e);
    }
  }

  /** A length and the bytes. */
  public static void writeBytes(byte[] bytes, DataOutputStream out) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  public static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("bad length " + length);
    }
    return in.readNBytes(length);
  }

  /** UTF-8 with a length, for any string including one longer than {@link DataOutputStream#writeUTF}'s 64 KiB. */
  public static void writeString(String value, DataOutputStream out) throws IOException {
    writeBytes(value.getBytes(StandardCharsets.UTF_8), out);
  }

  public static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }
}
