package dev.tracepipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class EncodedStringMapTest {

  /** Avro's encoding of entries in this order, duplicates and all, in blocks of {@code block} entries. */
  private static byte[] encode(List<String[]> entries, int block, boolean withSizes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    for (int from = 0; from < entries.size(); from += block) {
      List<String[]> part = entries.subList(from, Math.min(entries.size(), from + block));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      BinaryEncoder items = EncoderFactory.get().directBinaryEncoder(body, null);
      for (String[] entry : part) {
        items.writeString(entry[0]);
        items.writeString(entry[1]);
      }
      if (withSizes) {
        encoder.writeLong(-part.size());
        encoder.writeLong(body.size());
      } else {
        encoder.writeLong(part.size());
      }
      encoder.writeFixed(body.toByteArray());
    }
    encoder.writeLong(0);
    encoder.flush();
    return out.toByteArray();
  }

  private static Map<String, String> read(byte[] bytes) throws IOException {
    BinaryInput in = new BinaryInput().reset(bytes, 0, bytes.length);
    Map<String, String> map = in.readEncodedStringMap();
    assertThat(in.position()).as("read to its end").isEqualTo(bytes.length);
    return map;
  }

  /** What Avro's own reader builds: a default HashMap filled in written order. */
  private static Map<String, String> hashMap(List<String[]> entries) {
    Map<String, String> map = new HashMap<>();
    entries.forEach(e -> map.put(e[0], e[1]));
    return map;
  }

  private static List<String[]> entries(String... keysAndValues) {
    List<String[]> entries = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      entries.add(new String[] {keysAndValues[i], keysAndValues[i + 1]});
    }
    return entries;
  }

  @Test
  void looksKeysUpFromItsBytesAsTheHashMapWould() throws IOException {
    List<String[]> entries = entries("http.method", "GET", "http", "short", "", "empty key", "ü.key", "wert ü",
        "host.name", "node-7", "naïve", "x", "日本", "語", "Aa", "same hash as BB", "http.method", "POST");
    Map<String, String> expected = hashMap(entries);
    for (boolean withSizes : new boolean[] {false, true}) {
      for (int block : new int[] {1, 3, entries.size()}) {
        Map<String, String> map = read(encode(entries, block, withSizes));
        assertThat(map).isInstanceOf(EncodedStringMap.class);
        for (String key : List.of("http.method", "http", "", "ü.key", "u.key", "host.name", "host.nam", "host.names",
            "naïve", "naive", "日本", "日", "Aa", "BB", "absent")) {
          assertThat(map.get(key)).as("get %s", key).isEqualTo(expected.get(key));
          assertThat(map.containsKey(key)).as("containsKey %s", key).isEqualTo(expected.containsKey(key));
          assertThat(map.getOrDefault(key, "-")).isEqualTo(expected.getOrDefault(key, "-"));
        }
        assertThat(map.get(42)).isNull();
        assertThat(map.containsKey(null)).isFalse();
        assertThat(map.isEmpty()).isFalse();
        assertThat(((EncodedStringMap) map).isBuilt()).as("lookups decode nothing but the value").isFalse();
        // A later duplicate wins and counts once, as in the HashMap.
        assertThat(map.get("http.method")).isEqualTo("POST");
        assertThat(map).hasSize(expected.size());
        assertThat(((EncodedStringMap) map).isBuilt()).isTrue();
      }
    }
  }

  @Test
  void iteratesComparesAndHashesAsTheHashMapDoes() throws IOException {
    Random random = new Random(11);
    for (int round = 0; round < 500; round++) {
      List<String[]> entries = new ArrayList<>();
      for (int i = random.nextInt(60) + 1; i > 0; i--) {
        entries.add(new String[] {"k" + random.nextInt(random.nextBoolean() ? 30 : 100_000), "v" + random.nextInt()});
      }
      Map<String, String> expected = hashMap(entries);
      byte[] bytes = encode(entries, 1 + random.nextInt(8), random.nextBoolean());
      Map<String, String> looked = read(bytes);
      for (int i = 0; i < 20; i++) {
        String key = "k" + random.nextInt(random.nextBoolean() ? 30 : 100_000);
        assertThat(looked.get(key)).as("get %s", key).isEqualTo(expected.get(key));
      }
      entries.forEach(e -> assertThat(looked.get(e[0])).as("get %s", e[0]).isEqualTo(expected.get(e[0])));
      assertThat(((EncodedStringMap) looked).isBuilt()).isFalse();
      Map<String, String> map = read(bytes);
      assertThat(map.hashCode()).isEqualTo(expected.hashCode());
      assertThat(map).isEqualTo(expected);
      assertThat(expected).isEqualTo(map);
      assertThat(new ArrayList<>(map.entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
      assertThat(map.toString()).isEqualTo(expected.toString());
      List<String> order = new ArrayList<>();
      map.forEach((k, v) -> order.add(k));
      assertThat(order).isEqualTo(new ArrayList<>(expected.keySet()));
    }
    assertThat(read(encode(List.of(), 1, false))).isInstanceOf(HashMap.class).isEmpty();
  }

  @Test
  void changesWorkOnTheBuiltMap() throws IOException {
    List<String[]> entries = entries("a", "1", "b", "2", "c", "3");
    Map<String, String> map = read(encode(entries, 2, false));
    Map<String, String> expected = hashMap(entries);
    // Looked up (and remembered) before the changes: what they change must show.
    assertThat(map.get("a")).isEqualTo("1");
    assertThat(map.get("b")).isEqualTo("2");
    for (Map<String, String> m : List.of(map, expected)) {
      assertThat(m.put("a", "10")).isEqualTo("1");
      assertThat(m.remove("b")).isEqualTo("2");
      m.merge("c", "0", String::concat);
      m.putIfAbsent("d", "4");
      m.putAll(Map.of("e", "5"));
    }
    assertThat(map).isEqualTo(expected);
    assertThat(map.get("a")).isEqualTo("10");
    assertThat(map.containsKey("b")).isFalse();
    map.clear();
    assertThat(map.isEmpty()).isTrue();
    assertThat(map.get("a")).isNull();
  }

  @Test
  void javaSerializationWritesTheHashMap() throws Exception {
    Map<String, String> map = read(encode(entries("a", "1", "ü", "2"), 1, false));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(map);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isInstanceOf(HashMap.class).isEqualTo(new LinkedHashMap<>(Map.of("a", "1", "ü", "2")));
    }
  }

  @Test
  void keepsACopyNotTheRecordsArray() throws IOException {
    byte[] bytes = encode(entries("key", "value"), 1, false);
    Map<String, String> map = read(bytes);
    java.util.Arrays.fill(bytes, (byte) 0);
    assertThat(map.get("key")).isEqualTo("value");
  }
}
