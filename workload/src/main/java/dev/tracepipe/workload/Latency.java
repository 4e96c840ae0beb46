package dev.tracepipe.workload;

import java.util.random.RandomGenerator;

/**
 * A log-normal latency, as request latencies are: most near the median, a long right tail. Samples are whole
 * microseconds so that Zipkin's microsecond timestamps carry the generated times exactly.
 *
 * @param medianMicros the median, in microseconds
 * @param sigma the standard deviation of the underlying normal; 0.3 is tight, 0.8 is a heavy tail
 */
record Latency(long medianMicros, double sigma) {
  /** Tail samples are cut here so that one unlucky draw cannot make a trace last minutes. */
  private static final double MAX_MULTIPLE = 50;

  Latency {
    if (medianMicros < 1) {
      throw new IllegalArgumentException("medianMicros < 1: " + medianMicros);
    }
    if (sigma < 0) {
      throw new IllegalArgumentException("sigma < 0: " + sigma);
    }
  }

  static Latency micros(long median, double sigma) {
    return new Latency(median, sigma);
  }

  static Latency millis(double median, double sigma) {
    return new Latency(Math.round(median * 1000), sigma);
  }

  /** A sample in microseconds, at least one. */
  long sampleMicros(RandomGenerator random) {
    double multiple = Math.min(Math.exp(sigma * random.nextGaussian()), MAX_MULTIPLE);
    return Math.max(1, Math.round(medianMicros * multiple));
  }
}
