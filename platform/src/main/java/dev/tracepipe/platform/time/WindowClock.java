package dev.tracepipe.platform.time;

/**
 * The event clock that closes a processor's windows, free of Kafka. It is the highest time placed so far; while the
 * stage is caught up (within the replay lag of the wall clock at its last record) and no record has come for longer
 * than the quiet interval, it also runs on with the wall clock, so that windows close when input stops. While it
 * replays, only records move it, as they did originally. It never goes back.
 *
 * <p>The wall clock only fills a silence: between two batches of a busy input it adds nothing, so records that take
 * a little longer through the pipeline than the fastest do not find their windows closed.
 */
public final class WindowClock {

  private final long replayLagMs;
  private final long quietMs;
  private long streamTime;
  private long time;
  private long wallAtLastRecord;

  /**
   * @param restored the clock's time as last persisted, or -1
   * @param wallNow the wall clock at start: a restored clock runs on from here, not from before the restart
   */
  public WindowClock(ClockSettings settings, long restored, long wallNow) {
    this.replayLagMs = settings.replayLagMs();
    this.quietMs = settings.punctuationInterval().toMillis();
    this.streamTime = restored;
    this.time = restored;
    this.wallAtLastRecord = wallNow;
  }

  /** The clock after a record placed at {@code placedMs} was read at {@code wallMs}. */
  public long observe(long placedMs, long wallMs) {
    advance(wallMs);
    streamTime = Math.max(streamTime, placedMs);
    time = Math.max(time, streamTime);
    wallAtLastRecord = wallMs;
    return time;
  }

  /** The clock at wall time {@code wallMs} with no further record; -1 before any record. */
  public long advance(long wallMs) {
    if (streamTime >= 0 && !replaying()) {
      time = Math.max(time, streamTime + Math.max(0, wallMs - wallAtLastRecord - quietMs));
    }
    return time;
  }

  /** True while the stream time was further behind the wall clock than the replay lag at the last record. */
  public boolean replaying() {
    return wallAtLastRecord - streamTime > replayLagMs;
  }

  public long time() {
    return time;
  }
}
