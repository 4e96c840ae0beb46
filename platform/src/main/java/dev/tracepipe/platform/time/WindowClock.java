package dev.tracepipe.platform.time;

/**
 * The event clock that closes a processor's windows, free of Kafka. It is the highest time placed so far; while the
 * stage is caught up (its clock within the replay lag of the wall clock when the last record came) it also runs on
 * with the wall clock from the last record, so that windows close when input stops. While it replays, only records
 * move it, as they did originally. It never goes back.
 */
public final class WindowClock {

  private final long replayLagMs;
  private long time;
  private long timeAtLastRecord;
  private long wallAtLastRecord;

  /**
   * @param restored the clock's time as last persisted, or -1
   * @param wallNow the wall clock at start: a restored clock runs on from here, not from before the restart
   */
  public WindowClock(ClockSettings settings, long restored, long wallNow) {
    this.replayLagMs = settings.replayLagMs();
    this.time = restored;
    this.timeAtLastRecord = restored;
    this.wallAtLastRecord = wallNow;
  }

  /** The clock after a record placed at {@code placedMs} was read at {@code wallMs}. */
  public long observe(long placedMs, long wallMs) {
    advance(wallMs);
    time = Math.max(time, placedMs);
    timeAtLastRecord = time;
    wallAtLastRecord = wallMs;
    return time;
  }

  /** The clock at wall time {@code wallMs} with no further record; -1 before any record. */
  public long advance(long wallMs) {
    if (timeAtLastRecord >= 0 && !replaying()) {
      time = Math.max(time, timeAtLastRecord + Math.max(0, wallMs - wallAtLastRecord));
    }
    return time;
  }

  /** True while the clock was further behind the wall clock than the replay lag when the last record came. */
  public boolean replaying() {
    return wallAtLastRecord - timeAtLastRecord > replayLagMs;
  }

  public long time() {
    return time;
  }
}
