package dev.tracepipe.schemas.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An unsynchronized byte array output whose array stays for the next record, so that encoding a record per call
 * costs one exact-size copy instead of a stream that grows by copying from a small start.
 */
public final class ByteOutput extends OutputStream {
  /** A buffer that grew past this for one large record is dropped afterwards, so idle threads hold little memory. */
  static final int KEEP_AT_MOST = 1 << 20;
  private static final int INITIAL = 4 * 1024;

  private byte[] buf = new byte[INITIAL];
  private int count;

  /** Starts the next record. */
  public void reset() {
    if (buf.length > KEEP_AT_MOST) {
      buf = new byte[INITIAL];
    }
    count = 0;
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, count, length);
    count += length;
  }

  /** The schema registry header: magic byte, then the schema id big-endian. */
  void writeHeader(int schemaId) {
    ensure(WireFormat.HEADER_SIZE);
    buf[count++] = WireFormat.MAGIC;
    buf[count++] = (byte) (schemaId >>> 24);
    buf[count++] = (byte) (schemaId >>> 16);
    buf[count++] = (byte) (schemaId >>> 8);
    buf[count++] = (byte) schemaId;
  }

  public int size() {
    return count;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }

  private void ensure(int more) {
    if (count + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
    }
  }
}
