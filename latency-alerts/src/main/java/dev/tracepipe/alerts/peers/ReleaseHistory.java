package dev.tracepipe.alerts.peers;

import dev.tracepipe.platform.sketch.LatencySketch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The versions of one operation seen lately: when each first and last appeared and its last few windows, so that a
 * new version can be compared with the one it replaces even after that one stopped running.
 */
final class ReleaseHistory {

  private static final int FORMAT = 1;

  /** One window of one version. */
  record Part(long startMillis, LatencySketch sketch, long errors, LatencySketch self) {}

  /** What is remembered of one version. */
  static final class Track {
    final long firstSeenMillis;
    long lastSeenMillis;
    final Deque<Part> parts = new ArrayDeque<>();

    Track(long firstSeenMillis, long lastSeenMillis) {
      this.firstSeenMillis = firstSeenMillis;
      this.lastSeenMillis = lastSeenMillis;
    }
  }

  private final Map<String, Track> versions = new TreeMap<>();

  Map<String, Track> versions() {
    return versions;
  }

  Optional<Long> firstSeen(String version) {
    return Optional.ofNullable(versions.get(version)).map(t -> t.firstSeenMillis);
  }

  /** The version's remembered windows that started before the given time, merged; empty when none. */
  Marginals.Group before(String version, long beforeMillis) {
    LatencySketch sketch = new LatencySketch();
    LatencySketch self = new LatencySketch();
    long errors = 0;
    Track track = versions.get(version);
    if (track != null) {
      for (Part part : track.parts) {
        if (part.startMillis() < beforeMillis) {
          sketch.merge(part.sketch());
          self.merge(part.self());
          errors += part.errors();
        }
      }
    }
    return new Marginals.Group(sketch, errors, self);
  }

  /**
   * Remembers one window's versions, keeping the last {@code memoryWindows} windows of each.
   *
   * @return how many versions were forgotten because more than {@code maxVersions} were remembered
   */
  int record(long windowStart, Map<String, Marginals.Group> present, int memoryWindows, int maxVersions) {
    present.forEach((version, group) -> {
      Track track = versions.computeIfAbsent(version, v -> new Track(windowStart, windowStart));
      track.lastSeenMillis = Math.max(track.lastSeenMillis, windowStart);
      track.parts.addLast(new Part(windowStart, group.sketch(), group.errors(), group.self()));
      while (track.parts.size() > memoryWindows) {
        track.parts.removeFirst();
      }
    });
    int forgotten = 0;
    while (versions.size() > maxVersions) {
      String oldest = versions.entrySet().stream()
          .min(Comparator.comparingLong(e -> e.getValue().lastSeenMillis)).orElseThrow().getKey();
      versions.remove(oldest);
      forgotten++;
    }
    return forgotten;
  }

  static Serde<ReleaseHistory> serde() {
    return Serdes.serdeFrom((topic, history) -> history == null ? null : history.encode(),
        (topic, bytes) -> bytes == null ? null : decode(bytes));
  }

  private byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(versions.size());
      for (Map.Entry<String, Track> e : versions.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue().firstSeenMillis);
        out.writeLong(e.getValue().lastSeenMillis);
        out.writeInt(e.getValue().parts.size());
        for (Part part : e.getValue().parts) {
          out.writeLong(part.startMillis());
          out.writeLong(part.errors());
          writeSketch(part.sketch(), out);
          writeSketch(part.self(), out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode release history", e);
    }
    return bytes.toByteArray();
  }

  private static void writeSketch(LatencySketch sketch, DataOutputStream out) throws IOException {
    byte[] bytes = sketch.toBytes();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static LatencySketch readSketch(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("bad sketch length " + length);
    }
    return LatencySketch.fromBytes(in.readNBytes(length));
  }

  private static ReleaseHistory decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("release history: unknown format " + format + ", expected " + FORMAT);
      }
      ReleaseHistory history = new ReleaseHistory();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String version = in.readUTF();
        Track track = new Track(in.readLong(), in.readLong());
        int parts = in.readInt();
        for (int j = 0; j < parts; j++) {
          long start = in.readLong();
          long errors = in.readLong();
          track.parts.addLast(new Part(start, readSketch(in), errors, readSketch(in)));
        }
        history.versions.put(version, track);
      }
      return history;
    } catch (IOException e) {
      throw new IllegalArgumentException("release history: truncated or corrupt encoding", e);
    }
  }
}
