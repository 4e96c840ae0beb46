package dev.tracepipe.platform.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventTimeTest {

  static final long NOW = 1_700_000_000_000L;
  final EventTime time = new EventTime(ClockSettings.defaults());

  @Test
  void aRecordTimestampAheadOfTheWallClockArrivesAtTheToleranceAtMost() {
    assertThat(time.arrival(NOW + 30_000, NOW)).isEqualTo(NOW + 30_000);
    assertThat(time.arrival(NOW + 600_000, NOW)).isEqualTo(NOW + 60_000);
    assertThat(time.arrival(-1, NOW)).isEqualTo(NOW);
  }

  @Test
  void aReplayedRecordIsJudgedAgainstItsOwnArrivalNotTheWallClock() {
    long twoDaysAgo = NOW - 172_800_000L;
    long arrival = time.arrival(twoDaysAgo, NOW);
    assertThat(arrival).isEqualTo(twoDaysAgo);
    assertThat(time.place(twoDaysAgo - 5_000, arrival)).isEqualTo(new Placement(twoDaysAgo - 5_000, null));
  }

  @Test
  void tracerTimesOutsideTheTolerancesArePlacedAtArrival() {
    assertThat(time.place(NOW + 600_000, NOW)).isEqualTo(new Placement(NOW, Placement.Adjustment.CLOCK_AHEAD));
    assertThat(time.place(NOW - 7_200_000, NOW)).isEqualTo(new Placement(NOW, Placement.Adjustment.CLOCK_BEHIND));
    assertThat(time.place(NOW + 59_000, NOW).adjusted()).isFalse();
    assertThat(time.place(NOW - 3_500_000, NOW).adjusted()).isFalse();
  }

  @Test
  void theWindowClockRunsWithTheWallOnlyWhileCaughtUp() {
    WindowClock live = new WindowClock(ClockSettings.defaults(), -1, NOW);
    assertThat(live.advance(NOW + 5_000)).isEqualTo(-1);
    live.observe(NOW - 2_000, NOW);
    assertThat(live.advance(NOW + 800)).isEqualTo(NOW - 2_000); // a gap between batches moves nothing
    assertThat(live.advance(NOW + 5_000)).isEqualTo(NOW + 2_000); // a silence: the wall after one quiet second
    live.observe(NOW, NOW + 5_000); // an earlier time never moves the clock back
    assertThat(live.time()).isEqualTo(NOW + 2_000);

    WindowClock replay = new WindowClock(ClockSettings.defaults(), -1, NOW);
    replay.observe(NOW - 3_600_000, NOW);
    assertThat(replay.replaying()).isTrue();
    assertThat(replay.advance(NOW + 60_000)).isEqualTo(NOW - 3_600_000);
  }
}
