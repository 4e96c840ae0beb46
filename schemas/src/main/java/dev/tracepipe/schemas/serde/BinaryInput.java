package dev.tracepipe.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Avro's binary encoding read straight from an array, for readers written against one schema ({@link
 * SpanReaders}): no buffer refills, no per-field lookups of how to read it. A table of recently read strings was
 * measured here and withdrawn: finding a string in it cost as much as decoding it again.
 */
final class BinaryInput {
  private byte[] buf;
  private int pos;
  private int limit;

  /** Starts reading part of an array. */
  BinaryInput reset(byte[] data, int offset, int length) {
    this.buf = data;
    this.pos = offset;
    this.limit = offset + length;
    return this;
  }

  long readLong() throws IOException {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = nextByte();
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("invalid long encoding");
  }

  int readInt() throws IOException {
    long value = readLong();
    if (value != (int) value) {
      throw new IOException("int out of range: " + value);
    }
    return (int) value;
  }

  /** As Avro reads it: one byte, true only when it is 1. */
  boolean readBoolean() throws IOException {
    return nextByte() == 1;
  }

  /** The branch of a two-branch union; {@code null} first in every union these schemas hold. */
  boolean readPresent() throws IOException {
    int index = readInt();
    if (index < 0 || index > 1) {
      throw new IOException("union index " + index + " out of range");
    }
    return index == 1;
  }

  <E extends Enum<E>> E readEnum(E[] symbols) throws IOException {
    int index = readInt();
    if (index < 0 || index >= symbols.length) {
      throw new IOException("enum index " + index + " out of range for " + symbols.length + " symbols");
    }
    return symbols[index];
  }

  String readString() throws IOException {
    int length = stringLength();
    String s = new String(buf, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  /** A string's length in bytes, checked against what is left. */
  private int stringLength() throws IOException {
    long length = readLong();
    if (length < 0 || length > remaining()) {
      throw new EOFException("string of " + length + " bytes in " + remaining() + " bytes");
    }
    return (int) length;
  }

  String readOptionalString() throws IOException {
    return readPresent() ? readString() : null;
  }

  /** A map of strings, built as Avro's own reader builds it: a default {@link HashMap}, entries in written order. */
  HashMap<String, String> readStringMap() throws IOException {
    HashMap<String, String> map = new HashMap<>();
    for (long n = blockCount(); n > 0; n = blockCount()) {
      for (long i = 0; i < n; i++) {
        String key = readString();
        map.put(key, readString());
      }
    }
    return map;
  }

  /** A map of strings kept encoded until it is used as a whole ({@link EncodedStringMap}). */
  Map<String, String> readEncodedStringMap() throws IOException {
    return EncodedStringMap.read(this);
  }

  /** Moves past a string without decoding it. */
  void skipString() throws IOException {
    int length = stringLength(); // read first: it moves past the length
    pos += length;
  }

  /** A string's length in bytes, leaving the reader at its first byte. */
  int readStringLength() throws IOException {
    return stringLength();
  }

  /** Moves past bytes already checked to be there. */
  void skip(int length) {
    pos += length;
  }

  /**
   * Whether {@code length} UTF-8 bytes from {@code offset} spell {@code s}, without building a string: bytes compared
   * with chars while both are ASCII, else decoded and compared.
   */
  static boolean spells(byte[] buf, int offset, int length, String s) {
    int chars = s.length();
    if (length < chars) {
      return false; // UTF-8 takes at least one byte per char
    }
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      byte b = buf[offset + i];
      if (c >= 0x80 || b < 0) {
        return new String(buf, offset, length, StandardCharsets.UTF_8).equals(s);
      }
      if (b != c) {
        return false;
      }
    }
    return length == chars;
  }

  /** {@link String#hashCode} of the string these UTF-8 bytes spell, computed from the bytes while they are ASCII. */
  static int hashOf(byte[] buf, int offset, int length) {
    int hash = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = buf[i];
      if (b < 0) {
        return new String(buf, offset, length, StandardCharsets.UTF_8).hashCode();
      }
      hash = 31 * hash + b;
    }
    return hash;
  }

  int position() {
    return pos;
  }

  /** A copy of what was read between two positions. */
  byte[] copy(int from, int to) {
    return Arrays.copyOfRange(buf, from, to);
  }

  /** Reads one value (a record, an array's element) from an input. */
  interface Reader<T> {
    T read(BinaryInput in) throws IOException;
  }

  <T> List<T> readArray(Reader<T> element) throws IOException {
    long n = blockCount();
    List<T> list = new ArrayList<>((int) Math.min(n, remaining()));
    for (; n > 0; n = blockCount()) {
      for (long i = 0; i < n; i++) {
        list.add(element.read(this));
      }
    }
    return list;
  }

  long blockCount() throws IOException {
    long n = readLong();
    if (n < 0) {
      // A block written with its size in bytes, which a reader of every item does not need.
      readLong();
      n = -n;
    }
    if (n > remaining()) {
      // Every item takes at least one byte, except those of an empty record, which these schemas do not have.
      throw new EOFException("block of " + n + " items in " + remaining() + " bytes");
    }
    return n;
  }

  private int nextByte() throws IOException {
    if (pos >= limit) {
      throw new EOFException("record ends early");
    }
    return buf[pos++] & 0xff;
  }

  private int remaining() {
    return limit - pos;
  }
}
