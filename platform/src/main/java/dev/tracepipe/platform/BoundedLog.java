package dev.tracepipe.platform;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/** Logs a recurring event at most once a minute, with how many happened since the last line. */
public final class BoundedLog {
  private static final long INTERVAL_NANOS = 60_000_000_000L;

  private final Logger log;
  private final LongAdder pending = new LongAdder();
  private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

  public BoundedLog(Logger log) {
    this.log = log;
  }

  /** Counts one event; writes a warning with the count when a minute passed since the last one. */
  public void warn(String message, Object detail) {
    pending.increment();
    long now = System.nanoTime();
    long last = lastLine.get();
    if (now - last >= INTERVAL_NANOS && lastLine.compareAndSet(last, now)) {
      log.warn("{} ({} since the last report): {}", message, pending.sumThenReset(), detail);
    }
  }
}
