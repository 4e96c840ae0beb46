package dev.tracepipe.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether a Kafka Streams application is processing: not when it is in ERROR or shutting down, not while it has no live
 * stream thread, and not for a while after a stream thread died, since a replaced thread that dies again on the same
 * record is a crash loop that a state alone does not show.
 */
final class StageHealth {
  private final KafkaStreams streams;
  private final long windowNanos;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong lastFailureNanos = new AtomicLong();
  private final AtomicReference<String> lastFailure = new AtomicReference<>();

  StageHealth(KafkaStreams streams, Duration window) {
    this.streams = streams;
    this.windowNanos = window.toNanos();
  }

  void threadFailed(Throwable error) {
    lastFailure.set(String.valueOf(error));
    lastFailureNanos.set(System.nanoTime());
    failures.incrementAndGet();
  }

  long failures() {
    return failures.get();
  }

  Health.Check check() {
    KafkaStreams.State state = streams.state();
    boolean running = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
        || state == KafkaStreams.State.CREATED;
    if (!running) {
      return new Health.Check(false, state.name() + (lastFailure.get() == null ? "" : ": " + lastFailure.get()));
    }
    if (state == KafkaStreams.State.RUNNING && liveThreads() == 0) {
      return new Health.Check(false, "RUNNING with no live stream thread");
    }
    long count = failures.get();
    if (count > 0 && System.nanoTime() - lastFailureNanos.get() < windowNanos) {
      return new Health.Check(false, "stream thread failed " + count + " time(s), last within "
          + Duration.ofNanos(windowNanos) + ": " + lastFailure.get());
    }
    return new Health.Check(true, state.name());
  }

  private long liveThreads() {
    return streams.metadataForLocalThreads().stream()
        .filter(t -> !"DEAD".equals(t.threadState()) && !"PENDING_SHUTDOWN".equals(t.threadState()))
        .count();
  }
}
