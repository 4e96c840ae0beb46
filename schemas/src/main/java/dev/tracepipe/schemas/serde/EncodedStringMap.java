package dev.tracepipe.schemas.serde;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A map of strings read from Avro's encoding that stays encoded until it is used as a whole. The first use walks the
 * encoded entries once and notes where each key and value starts, with the key's {@link String#hashCode} computed
 * from its bytes; lookups then compare hashes and bytes, building no string but the value: most readers of a span ask
 * its attribute maps for a few keys (the trace store several per span), or nothing. The aggregator hashes and writes
 * every span it receives: both are done from the bytes too, giving the hash and the encoding of the built map.
 * Anything else (iteration, size, equality, a change) first builds the {@link HashMap} Avro's own reader would have
 * built, filled in written order, and works on it from then on, so such a map iterates, compares and hashes exactly
 * as that one does.
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
   * Per entry in written order, five ints (see the {@code KEY_HASH}.. offsets): the key's hash, where its UTF-8 bytes
   * start and how many there are, and the same for the value. Built by the first use that needs it; a racing reader
   * may build its own, never see a part of one.
   */
  private transient volatile int[] entries;
  /** Lookups answered by walking the encoding before it was indexed (racing readers may miscount: no harm). */
  private transient int walks;

  /** A key looked up and what it found (null for nothing): one object, so a racing reader sees a whole pair. */
  private record Hit(String key, String value) {}

  private static final int KEY_HASH = 0;
  private static final int KEY_START = 1;
  private static final int KEY_LENGTH = 2;
  private static final int VALUE_START = 3;
  private static final int VALUE_LENGTH = 4;
  private static final int STRIDE = 5;
  /**
   * Maps of more entries are hashed and written from the built map: finding the distinct keys from the encoding takes
   * a comparison of every pair.
   */
  private static final int MAX_UNBUILT_ENTRIES = 64;
  /** {@link HashMap}'s first table size, and the most entries one of its bins holds before it may become a tree. */
  private static final int FIRST_TABLE = 16;
  private static final int MAX_LIST_BIN = 8;

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

  /** The built map's hash, computed from the encoding when the map is not built: the keys' and values' bytes. */
  @Override
  public int hashCode() {
    HashMap<String, String> map = built;
    int[] distinct = map == null ? distinct() : null;
    if (distinct == null) {
      return map().hashCode();
    }
    int[] index = entries;
    int hash = 0;
    for (int i = 0; i < distinct.length; i += 2) {
      int value = distinct[i + 1];
      hash += index[distinct[i] + KEY_HASH]
          ^ BinaryInput.hashOf(encoded, index[value + VALUE_START], index[value + VALUE_LENGTH]);
    }
    return hash;
  }

  /**
   * Writes the map as Avro's writer would write the built map (one block of its entries in the {@link HashMap}'s
   * iteration order, then the end), copying the entries' bytes instead of building it, and tells whether it could: a
   * built map, one with a non-ASCII byte (whose decoding might not give back the same bytes), or one whose order
   * would depend on more than the table size and the order of first appearance is left to the caller.
   */
  boolean writeUnbuilt(ByteOutput out) {
    if (built != null) {
      return false;
    }
    int[] distinct = distinct();
    if (distinct == null) {
      return false;
    }
    int[] index = entries;
    int count = distinct.length / 2;
    int[] firstBins = new int[FIRST_TABLE];
    for (int i = 0; i < distinct.length; i += 2) {
      if (++firstBins[spread(index[distinct[i] + KEY_HASH]) & (FIRST_TABLE - 1)] >= MAX_LIST_BIN
          || !ascii(index, distinct[i] + KEY_START) || !ascii(index, distinct[i + 1] + VALUE_START)) {
        return false;
      }
    }
    // The table HashMap grows to by size alone: doubled whenever the entries pass three quarters of it.
    int table = FIRST_TABLE;
    while (count > table / 4 * 3) {
      table <<= 1;
    }
    // Iteration goes bin by bin, and within a bin in the order keys first went in (resizing keeps it): a stable
    // sort of the distinct entries, already in that order, by bin.
    long[] order = new long[count];
    for (int i = 0; i < count; i++) {
      order[i] = (long) (spread(index[distinct[2 * i] + KEY_HASH]) & (table - 1)) << 32 | i;
    }
    Arrays.sort(order);
    out.writeLong(count);
    for (long o : order) {
      int i = (int) o;
      copyString(out, index, distinct[2 * i] + KEY_START);
      copyString(out, index, distinct[2 * i + 1] + VALUE_START);
    }
    out.writeLong(0);
    return true;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  private boolean ascii(int[] index, int at) {
    for (int i = index[at], end = i + index[at + 1]; i < end; i++) {
      if (encoded[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private void copyString(ByteOutput out, int[] index, int at) {
    out.writeLong(index[at + 1]);
    out.write(encoded, index[at], index[at + 1]);
  }

  /**
   * Per distinct key, in the order keys first appear, the positions in {@link #entries} of its first entry and of its
   * last (whose value a map filled in written order keeps); null past {@link #MAX_UNBUILT_ENTRIES} entries.
   */
  private int[] distinct() {
    int[] index = index();
    if (index.length > MAX_UNBUILT_ENTRIES * STRIDE) {
      return null;
    }
    int[] distinct = new int[2 * (index.length / STRIDE)];
    int count = 0;
    next:
    for (int at = 0; at < index.length; at += STRIDE) {
      for (int d = 0; d < count; d += 2) {
        int first = distinct[d];
        if (index[first + KEY_HASH] == index[at + KEY_HASH] && index[first + KEY_LENGTH] == index[at + KEY_LENGTH]
            && Arrays.equals(encoded, index[first + KEY_START], index[first + KEY_START] + index[first + KEY_LENGTH],
                encoded, index[at + KEY_START], index[at + KEY_START] + index[at + KEY_LENGTH])) {
          distinct[d + 1] = at;
          continue next;
        }
      }
      distinct[count] = at;
      distinct[count + 1] = at;
      count += 2;
    }
    return count == distinct.length ? distinct : Arrays.copyOf(distinct, count);
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
    if (entries == null && walks++ == 0) {
      // A map asked once (a host name looked up on each span) is cheaper to walk than to index.
      return walk(key);
    }
    int[] index = index();
    int hash = key.hashCode();
    for (int at = index.length - STRIDE; at >= 0; at -= STRIDE) {
      if (index[at + KEY_HASH] == hash && BinaryInput.spells(encoded, index[at + KEY_START], index[at + KEY_LENGTH],
          key)) {
        return new String(encoded, index[at + VALUE_START], index[at + VALUE_LENGTH], StandardCharsets.UTF_8);
      }
    }
    return null;
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

  /** {@link #entries}, built by one walk over the encoding the first time. */
  private int[] index() {
    int[] index = entries;
    if (index != null) {
      return index;
    }
    try {
      BinaryInput in = input();
      index = new int[8 * STRIDE];
      int n = 0;
      for (long count = in.blockCount(); count > 0; count = in.blockCount()) {
        for (long i = 0; i < count; i++, n += STRIDE) {
          if (n == index.length) {
            index = Arrays.copyOf(index, index.length * 2);
          }
          int length = in.readStringLength();
          int start = in.position();
          index[n + KEY_HASH] = BinaryInput.hashOf(encoded, start, length);
          index[n + KEY_START] = start;
          index[n + KEY_LENGTH] = length;
          in.skip(length);
          length = in.readStringLength();
          index[n + VALUE_START] = in.position();
          index[n + VALUE_LENGTH] = length;
          in.skip(length);
        }
      }
      index = n == index.length ? index : Arrays.copyOf(index, n);
      entries = index;
      return index;
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
