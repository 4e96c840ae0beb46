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
 * nothing. Anything else (iteration, size, equality, hash code, a change) first builds the {@link HashMap} Avro's own
 * reader would have built, filled in written order, and works on it from then on, so such a map iterates, compares
 * and hashes exactly as that one does.
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

  @Override
  public int hashCode() {
    return map().hashCode();
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
