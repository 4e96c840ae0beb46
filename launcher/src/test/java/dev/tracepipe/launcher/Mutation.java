package dev.tracepipe.launcher;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Ways to spoil a real message, for fuzzing the stages' inputs. */
enum Mutation {
  /** Random bytes; the first is never 0, the Avro wire format's magic byte. */
  RANDOM {
    @Override
    byte[] apply(List<byte[]> seeds, Random random) {
      byte[] bytes = new byte[random.nextInt(2_000)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && bytes[0] == 0) {
        bytes[0] = 1;
      }
      return bytes;
    }
  },
  /** A real message cut short. */
  TRUNCATED {
    @Override
    byte[] apply(List<byte[]> seeds, Random random) {
      byte[] seed = pick(seeds, random);
      return Arrays.copyOf(seed, random.nextInt(Math.max(1, seed.length)));
    }
  },
  /** A real message with a few bytes replaced. */
  FLIPPED {
    @Override
    byte[] apply(List<byte[]> seeds, Random random) {
      byte[] bytes = pick(seeds, random).clone();
      for (int i = 0, n = 1 + random.nextInt(8); i < n && bytes.length > 0; i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      return bytes;
    }
  },
  /** A real message with a run of bytes removed or repeated, so lengths and offsets inside no longer agree. */
  SHIFTED {
    @Override
    byte[] apply(List<byte[]> seeds, Random random) {
      byte[] seed = pick(seeds, random);
      int at = random.nextInt(Math.max(1, seed.length));
      int run = 1 + random.nextInt(16);
      // The rest resumes after the run (removed) or at its start again (repeated).
      int resume = random.nextBoolean() ? Math.min(seed.length, at + run) : Math.max(0, at - run);
      byte[] head = Arrays.copyOf(seed, at);
      byte[] tail = Arrays.copyOfRange(seed, resume, seed.length);
      byte[] out = Arrays.copyOf(head, head.length + tail.length);
      System.arraycopy(tail, 0, out, head.length, tail.length);
      return out;
    }
  },
  /** The start of one real message joined to the end of another. */
  SPLICED {
    @Override
    byte[] apply(List<byte[]> seeds, Random random) {
      byte[] a = pick(seeds, random);
      byte[] b = pick(seeds, random);
      int cutA = random.nextInt(Math.max(1, a.length));
      int cutB = random.nextInt(Math.max(1, b.length));
      byte[] out = Arrays.copyOf(a, cutA + b.length - cutB);
      System.arraycopy(b, cutB, out, cutA, b.length - cutB);
      return out;
    }
  };

  abstract byte[] apply(List<byte[]> seeds, Random random);

  private static byte[] pick(List<byte[]> seeds, Random random) {
    return seeds.get(random.nextInt(seeds.size()));
  }
}
