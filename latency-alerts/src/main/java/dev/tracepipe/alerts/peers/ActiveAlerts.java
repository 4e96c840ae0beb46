package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.LatencyAlert;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The firing conditions of one operation, each with when it began, when it was last sent and its last record. */
final class ActiveAlerts {

  private static final int FORMAT = 1;

  /**
   * @param lastHeldMillis end of the last window in which the condition held
   * @param missedWindows closed windows since then that could not judge it
   */
  record Active(long firstSeenMillis, long lastSentMillis, long lastHeldMillis, int missedWindows, LatencyAlert last) {}

  private final Map<String, Active> byId = new TreeMap<>();

  Map<String, Active> byId() {
    return byId;
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  static Serde<ActiveAlerts> serde() {
    return Serdes.serdeFrom((topic, active) -> active == null ? null : active.encode(),
        (topic, bytes) -> bytes == null ? null : decode(bytes));
  }

  private byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(byId.size());
      for (Map.Entry<String, Active> e : byId.entrySet()) {
        Active a = e.getValue();
        out.writeUTF(e.getKey());
        out.writeLong(a.firstSeenMillis());
        out.writeLong(a.lastSentMillis());
        out.writeLong(a.lastHeldMillis());
        out.writeInt(a.missedWindows());
        ByteBuffer record = a.last().toByteBuffer();
        out.writeInt(record.remaining());
        out.write(record.array(), record.arrayOffset() + record.position(), record.remaining());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode active alerts", e);
    }
    return bytes.toByteArray();
  }

  private static ActiveAlerts decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("active alerts: unknown format " + format + ", expected " + FORMAT);
      }
      ActiveAlerts active = new ActiveAlerts();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        long first = in.readLong();
        long sent = in.readLong();
        long held = in.readLong();
        int missed = in.readInt();
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
          throw new IOException("bad alert length " + length);
        }
        LatencyAlert last = LatencyAlert.fromByteBuffer(ByteBuffer.wrap(in.readNBytes(length)));
        active.byId.put(id, new Active(first, sent, held, missed, last));
      }
      return active;
    } catch (IOException e) {
      throw new IllegalArgumentException("active alerts: truncated or corrupt encoding", e);
    }
  }
}
