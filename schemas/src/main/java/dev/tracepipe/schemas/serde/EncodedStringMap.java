package dev.tracepipe.schemas.serde;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A map of strings read from Avro's encoding that stays encoded until it is used as a whole. The first lookup walks
 * the encoded entries and compares bytes; the second notes where each key and value starts, with the key's {@link
 * String#hashCode} computed from its bytes, and lookups from then on compare hashes and bytes. None builds a string
 * but the value: most readers of a span ask its attribute maps for a few keys (the trace store several per span), or
 * nothing. Anything else (iteration, size, equality, a change) first builds the {@link HashMap} Avro's own reader
 * would have built, filled in written order, and works on it from then on, so such a map iterates, compares and
 * hashes exactly as that one does.
 *
 * <p>The aggregator hashes and writes again every span it receives. When the encoding is already the one writing the
 * built map would give (its entries in that map's iteration order, see {@link #inIterationOrder}), both are done from
 * the bytes: the hash from the entries' bytes, the encoding copied whole. Ingest writes trace fragments that way.
 *
 * <p>It holds a copy of its encoded entries, never the record's array. Reads from several threads are safe, as they
 * are on a {@link HashMap}; a change is not, as it is not there.
 */
final class EncodedStringMap extends AbstractMap<String, String> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The entries as Avro encodes them: blocks of key and value strings, ending with an empty block. */
  private final transient byte[] encoded;
  private transient volatile HashMap<String, String> built;
  /** The last keys looked up, by identity: readers ask a span for the same constants again and again. */
  private transient Hit[] hits;
  private transient int nextHit;

  /**
   * Per entry in written order, four ints: the key's hash, where its UTF-8 bytes start, how many there are, and where
   * the value's encoding starts. Built by the second lookup; a racing reader may build its own, never see a part of
   * one.
   */
  private transient volatile int[] entries;
  /** Lookups answered by walking the encoding before it was indexed (racing readers may miscount: no harm). */
  private transient int walks;

  /**
   * Whether the encoding is what writing the built map gives, and if so that map's hash code: {@link #UNCHECKED}, {@link
   * #NOT_IN_ORDER}, or {@link #IN_ORDER} with the hash in the low 32 bits. One long, so a racing reader sees a whole
   * answer.
   */
  private transient volatile long order;

  private static final long UNCHECKED = 0;
  private static final long IN_ORDER = 1L << 32;
  private static final long NOT_IN_ORDER = 2L << 32;
  /** {@link HashMap}'s first table size. */
  private static final int FIRST_TABLE = 16;
  /**
   * Most entries in one bin of the first table: below HashMap's 8 a bin never becomes a tree or forces an early
   * resize while the map fills, at any table size (a bin of a larger table holds part of one of the first's).
   */
  private static final int MAX_FIRST_BIN = 7;

  /** A key looked up and what it found (null for nothing): one object, so a racing reader sees a whole pair. */
  private record Hit(String key, String value) {}

  private static final int STRIDE = 4;

  private EncodedStringMap(byte[] encoded) {
    this.encoded = encoded;
  }

  /**
   * Reads a map whose encoding starts at {@code in}'s position, leaving {@code in} after it: the entries are walked
   * (so a map that ends early fails here, as Avro's reader would) but not decoded.
   */
  static Map<String, String> read(BinaryInput in) throws IOException {
    int start = in.position();
    long entries = 0;
    for (long n = in.blockCount(); n > 0; n = in.blockCount()) {
      for (long i = 0; i < n; i++) {
        in.skipString();
        in.skipString();
      }
      entries += n;
    }
    if (entries == 0) {
      return new HashMap<>();
    }
    return new EncodedStringMap(in.copy(start, in.position()));
  }

  @Override
  public String get(Object key) {
    HashMap<String, String> map = built;
    if (map != null) {
      return map.get(key);
    }
    return key instanceof String k ? lookUp(k) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    HashMap<String, String> map = built;
    if (map != null) {
      return map.containsKey(key);
    }
    // Values are never null in these maps, so a key is there exactly when it has a value.
    return key instanceof String k && lookUp(k) != null;
  }

  @Override
  public boolean isEmpty() {
    HashMap<String, String> map = built;
    return map != null && map.isEmpty(); // read with at least one entry, so empty only after changes
  }

  @Override
  public int size() {
    return map().size();
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return map().entrySet();
  }

  @Override
  public Set<String> keySet() {
    return map().keySet();
  }

  @Override
  public Collection<String> values() {
    return map().values();
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super String> action) {
    map().forEach(action);
  }

  @Override
  public String put(String key, String value) {
    return map().put(key, value);
  }

  @Override
  public String remove(Object key) {
    return map().remove(key);
  }

  @Override
  public void putAll(Map<? extends String, ? extends String> m) {
    map().putAll(m);
  }

  @Override
  public void clear() {
    map().clear();
  }

  @Override
  public boolean equals(Object o) {
    return map().equals(o);
  }

  /** The built map's hash code, computed from the bytes when they are in its iteration order. */
  @Override
  public int hashCode() {
    if (built == null) {
      long checked = checkOrder();
      if (checked != NOT_IN_ORDER) {
        return (int) checked;
      }
    }
    return map().hashCode();
  }

  /**
   * Writes the encoding whole when it is what writing the built map would give, and tells whether it did: a built map
   * (which may have changed) or another order is the caller's to write.
   */
  boolean writeInIterationOrder(ByteOutput out) {
    if (built != null || checkOrder() == NOT_IN_ORDER) {
      return false;
    }
    out.write(encoded, 0, encoded.length);
    return true;
  }

  /** Whether writing the built map would give back the encoding byte for byte (see {@link #inIterationOrder}). */
  boolean isInIterationOrder() {
    return checkOrder() != NOT_IN_ORDER;
  }

  private long checkOrder() {
    long checked = order;
    if (checked == UNCHECKED) {
      checked = inIterationOrder();
      order = checked;
    }
    return checked;
  }

  /**
   * Checks that decoding the entries and writing the map again gives these bytes: one block with every length written
   * in its shortest form, ASCII strings only (which decode and encode back to the same bytes), no key twice, and the
   * entries in the order a default {@link HashMap} filled with them iterates: by bin of the table their number grows
   * it to, and within a bin in written order, which is the order they went in. Returns {@link #IN_ORDER} with the
   * map's hash code (the sum over entries of key hash XOR value hash), or {@link #NOT_IN_ORDER}.
   */
  private long inIterationOrder() {
    try {
      BinaryInput in = input();
      long count = in.blockCount();
      if (count <= 0 || count > encoded.length) {
        return NOT_IN_ORDER;
      }
      int n = (int) count;
      int[] keyHashes = new int[n];
      int[] keyStarts = new int[n];
      int[] keyLengths = new int[n];
      int[] firstBins = new int[FIRST_TABLE];
      int expectedLength = longLength(n) + 1;
      int hash = 0;
      for (int i = 0; i < n; i++) {
        int keyLength = in.readStringLength();
        keyStarts[i] = in.position();
        keyLengths[i] = keyLength;
        long key = asciiHash(in.position(), keyLength);
        in.skip(keyLength);
        int valueLength = in.readStringLength();
        long value = asciiHash(in.position(), valueLength);
        in.skip(valueLength);
        if (key == NON_ASCII || value == NON_ASCII
            || ++firstBins[spread((int) key) & (FIRST_TABLE - 1)] > MAX_FIRST_BIN) {
          return NOT_IN_ORDER;
        }
        keyHashes[i] = (int) key;
        hash += (int) key ^ (int) value;
        expectedLength += longLength(keyLength) + keyLength + longLength(valueLength) + valueLength;
      }
      if (in.blockCount() != 0 || expectedLength != encoded.length) {
        return NOT_IN_ORDER;
      }
      // The table HashMap grows to by size alone: doubled whenever the entries pass three quarters of it.
      int table = FIRST_TABLE;
      while (n > table / 4 * 3) {
        table <<= 1;
      }
      int binStart = 0;
      int previousBin = -1;
      for (int i = 0; i < n; i++) {
        int bin = spread(keyHashes[i]) & (table - 1);
        if (bin < previousBin) {
          return NOT_IN_ORDER;
        }
        if (bin != previousBin) {
          binStart = i;
          previousBin = bin;
        }
        for (int j = binStart; j < i; j++) {
          if (keyHashes[j] == keyHashes[i] && Arrays.equals(encoded, keyStarts[j], keyStarts[j] + keyLengths[j],
              encoded, keyStarts[i], keyStarts[i] + keyLengths[i])) {
            return NOT_IN_ORDER; // the same key twice: the built map holds one entry
          }
        }
      }
      return IN_ORDER | (hash & 0xFFFFFFFFL);
    } catch (IOException e) {
      throw new UncheckedIOException("an encoded map read whole before cannot end early", e);
    }
  }

  /** Returned by {@link #asciiHash} for a string with a byte outside ASCII. */
  private static final long NON_ASCII = -1;

  /**
   * {@link String#hashCode} of an ASCII string from its bytes (as an unsigned int), or {@link #NON_ASCII}: four bytes a
   * step ({@code h * 31^4 + b0 * 31^3 + b1 * 31^2 + b2 * 31 + b3}, the same sum), any byte above ASCII noted by its
   * sign bit.
   */
  private long asciiHash(int offset, int length) {
    int hash = 0;
    int signs = 0;
    int i = offset;
    for (int end = offset + length - 3; i < end; i += 4) {
      byte b0 = encoded[i];
      byte b1 = encoded[i + 1];
      byte b2 = encoded[i + 2];
      byte b3 = encoded[i + 3];
      signs |= b0 | b1 | b2 | b3;
      hash = 923_521 * hash + 29_791 * b0 + 961 * b1 + 31 * b2 + b3;
    }
    for (int end = offset + length; i < end; i++) {
      byte b = encoded[i];
      signs |= b;
      hash = 31 * hash + b;
    }
    return signs < 0 ? NON_ASCII : hash & 0xFFFFFFFFL;
  }

  /** {@link HashMap}'s spreading of a hash over the bins. */
  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  /** Bytes of Avro's encoding of a non-negative long (zig-zag, then seven bits a byte). */
  private static int longLength(long value) {
    long n = value << 1;
    int bytes = 1;
    while ((n & ~0x7FL) != 0) {
      n >>>= 7;
      bytes++;
    }
    return bytes;
  }

  @Override
  public String toString() {
    return map().toString();
  }

  /** Whether the map was built: anything but a lookup builds it. */
  boolean isBuilt() {
    return built != null;
  }

  /** Java serialization writes the map Avro's reader would have built. */
  private Object writeReplace() {
    return new HashMap<>(map());
  }

  private String lookUp(String key) {
    Hit[] recent = hits;
    if (recent != null) {
      for (Hit hit : recent) {
        if (hit != null && hit.key == key) {
          return hit.value;
        }
      }
    } else {
      recent = new Hit[4];
      hits = recent;
    }
    String value = find(key);
    recent[nextHit] = new Hit(key, value);
    nextHit = (nextHit + 1) & (recent.length - 1);
    return value;
  }

  /** The value of the last entry with this key (a later duplicate wins, as in a map filled in written order). */
  private String find(String key) {
    int[] index = entries;
    if (index == null) {
      if (walks++ == 0) {
        // A map asked once (a host name looked up on each span) is cheaper to walk than to index.
        return walk(key);
      }
      index = index();
      entries = index;
    }
    int hash = key.hashCode();
    try {
      for (int i = index.length - STRIDE; i >= 0; i -= STRIDE) {
        if (index[i] == hash && BinaryInput.spells(encoded, index[i + 1], index[i + 2], key)) {
          int value = index[i + 3];
          return new BinaryInput().reset(encoded, value, encoded.length - value).readString();
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("an encoded map read whole before cannot end early", e);
    }
  }

  private String walk(String key) {
    try {
      BinaryInput in = input();
      String value = null;
      for (long n = in.blockCount(); n > 0; n = in.blockCount()) {
        for (long i = 0; i < n; i++) {
          int length = in.readStringLength();
          boolean match = BinaryInput.spells(encoded, in.position(), length, key);
          in.skip(length);
          if (match) {
            value = in.readString();
          } else {
            in.skipString();
          }
        }
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("an encoded map read whole before cannot end early", e);
    }
  }

  /** One walk over the entries: see {@link #entries}. */
  private int[] index() {
    try {
      BinaryInput in = input();
      int[] index = new int[8 * STRIDE];
      int n = 0;
      for (long count = in.blockCount(); count > 0; count = in.blockCount()) {
        for (long i = 0; i < count; i++, n += STRIDE) {
          if (n == index.length) {
            index = Arrays.copyOf(index, index.length * 2);
          }
          int length = in.readStringLength();
          int start = in.position();
          index[n] = BinaryInput.hashOf(encoded, start, length);
          index[n + 1] = start;
          index[n + 2] = length;
          in.skip(length);
          index[n + 3] = in.position();
          in.skipString();
        }
      }
      return n == index.length ? index : Arrays.copyOf(index, n);
    } catch (IOException e) {
      throw new UncheckedIOException("an encoded map read whole before cannot end early", e);
    }
  }

  private HashMap<String, String> map() {
    HashMap<String, String> map = built;
    if (map == null) {
      synchronized (this) {
        map = built;
        if (map == null) {
          map = decode();
          built = map;
        }
      }
    }
    return map;
  }

  private HashMap<String, String> decode() {
    try {
      return input().readStringMap();
    } catch (IOException e) {
      throw new UncheckedIOException("an encoded map read whole before cannot end early", e);
    }
  }

  /** A reader of the copy, which was walked whole when it was read. */
  private BinaryInput input() {
    return new BinaryInput().reset(encoded, 0, encoded.length);
  }
}
