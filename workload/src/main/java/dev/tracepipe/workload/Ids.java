package dev.tracepipe.workload;

import java.util.random.RandomGenerator;

/** Random trace and span ids in lower-case hex, as tracers make them: never all zeros, which means "no id". */
final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** 128 bits, 32 characters. */
  static String traceId(RandomGenerator random) {
    long high = random.nextLong();
    long low = random.nextLong();
    if (high == 0 && low == 0) {
      low = 1;
    }
    char[] chars = new char[32];
    write(high, chars, 0);
    write(low, chars, 16);
    return new String(chars);
  }

  /** 64 bits, 16 characters. */
  static String spanId(RandomGenerator random) {
    long id = random.nextLong();
    char[] chars = new char[16];
    write(id == 0 ? 1 : id, chars, 0);
    return new String(chars);
  }

  /** The bytes a hex id stands for, as OTLP and our Kafka keys carry them. */
  static byte[] toBytes(String hex) {
    if ((hex.length() & 1) != 0) {
      throw new IllegalArgumentException("hex id of odd length: " + hex);
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ((digit(hex, 2 * i) << 4) | digit(hex, 2 * i + 1));
    }
    return bytes;
  }

  private static int digit(String hex, int index) {
    int value = Character.digit(hex.charAt(index), 16);
    if (value < 0) {
      throw new IllegalArgumentException("not a hex id: " + hex);
    }
    return value;
  }

  private static void write(long value, char[] chars, int offset) {
    for (int i = 15; i >= 0; i--) {
      chars[offset + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }
}
