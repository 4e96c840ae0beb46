package dev.tracepipe.schemas.serde;

import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Per-thread scratch space for Avro encoding and decoding: a growable buffer that is kept between records and a reused
 * encoder and decoder, so that encoding a record costs one exact-size copy instead of a stream that grows by copying
 * and a synchronized write per field.
 */
final class SerdeScratch {
  /** A buffer that grew past this for one large record is dropped afterwards, so idle threads hold little memory. */
  static final int KEEP_AT_MOST = 1 << 20;
  private static final int INITIAL = 4 * 1024;
  private static final ThreadLocal<SerdeScratch> LOCAL = ThreadLocal.withInitial(SerdeScratch::new);

  final Output out = new Output();
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;

  static SerdeScratch get() {
    return LOCAL.get();
  }

  /** An encoder writing straight into {@link #out}, which starts empty. */
  BinaryEncoder encoder() {
    out.reset();
    encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
    return encoder;
  }

  /** A decoder over part of an array; the previous record read through it must be complete. */
  BinaryDecoder decoder(byte[] data, int offset, int length) {
    decoder = DecoderFactory.get().binaryDecoder(data, offset, length, decoder);
    return decoder;
  }

  /** An unsynchronized byte array output whose array stays for the next record. */
  static final class Output extends OutputStream {
    private byte[] buf = new byte[INITIAL];
    private int count;

    void reset() {
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

    int size() {
      return count;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }
  }
}
