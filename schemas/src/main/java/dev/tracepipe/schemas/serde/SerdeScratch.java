package dev.tracepipe.schemas.serde;

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
  private static final ThreadLocal<SerdeScratch> LOCAL = ThreadLocal.withInitial(SerdeScratch::new);

  final ByteOutput out = new ByteOutput();
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;
  private final BinaryInput input = new BinaryInput();

  static SerdeScratch get() {
    return LOCAL.get();
  }

  /** An encoder writing straight into {@link #out}, after what it holds. */
  BinaryEncoder encoder() {
    encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
    return encoder;
  }

  /** A decoder over part of an array; the previous record read through it must be complete. */
  BinaryDecoder decoder(byte[] data, int offset, int length) {
    decoder = DecoderFactory.get().binaryDecoder(data, offset, length, decoder);
    return decoder;
  }

  /** This thread's input for {@link SpanReaders}, over part of an array. */
  BinaryInput input(byte[] data, int offset, int length) {
    return input.reset(data, offset, length);
  }
}
