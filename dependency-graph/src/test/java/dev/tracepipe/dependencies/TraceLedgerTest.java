package dev.tracepipe.dependencies;

import static dev.tracepipe.avro.ConnectionType.RPC;
import static dev.tracepipe.avro.ConnectionType.VIRTUAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceLedgerTest {
  static final EdgeKey WEB_APP_RPC = new EdgeKey("web", "app", RPC);
  static final EdgeKey WEB_APP_VIRTUAL = new EdgeKey("web", "app", VIRTUAL);

  static Call call(String id, EdgeKey edge, boolean error, long ts) {
    return new Call(id, edge, error, ts, 40, 30);
  }

  @Test
  void firstSight_countsEveryCall() {
    TraceLedger.Outcome outcome = TraceLedger.apply(null, 1, false,
        List.of(call("b", WEB_APP_RPC, false, 10), call("c", WEB_APP_RPC, true, 11)));

    assertThat(outcome.deltas()).containsExactly(
        new EdgeDelta(WEB_APP_RPC, 10, 1, 0, 40, 30), new EdgeDelta(WEB_APP_RPC, 11, 1, 1, 40, 30));
    assertThat(outcome.counted().version()).isEqualTo(1);
    assertThat(outcome.counted().calls()).hasSize(2);
  }

  @Test
  void sameVersionAgain_isStale() {
    CountedTrace counted = TraceLedger.apply(null, 2, false, List.of(call("b", WEB_APP_RPC, false, 10))).counted();

    assertThat(TraceLedger.apply(counted, 2, false, List.of()).stale()).isTrue();
    assertThat(TraceLedger.apply(counted, 1, false, List.of()).stale()).isTrue();
  }

  @Test
  void laterVersion_unchangedCallsAreNotCountedAgain() {
    CountedTrace counted = TraceLedger.apply(null, 1, false, List.of(call("b", WEB_APP_RPC, false, 10))).counted();

    TraceLedger.Outcome outcome = TraceLedger.apply(counted, 2, false,
        List.of(call("b", WEB_APP_RPC, false, 10), call("d", WEB_APP_RPC, false, 12)));

    assertThat(outcome.deltas()).containsExactly(new EdgeDelta(WEB_APP_RPC, 12, 1, 0, 40, 30));
    assertThat(outcome.counted().version()).isEqualTo(2);
  }

  @Test
  void laterVersion_callOnAnotherEdge_isTakenBackWhereItWasCounted() {
    CountedTrace counted = TraceLedger.apply(null, 1, false, List.of(call("b", WEB_APP_VIRTUAL, true, 10))).counted();

    TraceLedger.Outcome outcome = TraceLedger.apply(counted, 2, false, List.of(call("c", WEB_APP_RPC, false, 11)));

    assertThat(outcome.deltas()).containsExactlyInAnyOrder(
        new EdgeDelta(WEB_APP_RPC, 11, 1, 0, 40, 30),
        new EdgeDelta(WEB_APP_VIRTUAL, 10, -1, -1, Call.UNKNOWN, Call.UNKNOWN));
  }

  @Test
  void laterVersion_errorChange_isCorrectedInTheOriginalWindow() {
    CountedTrace counted = TraceLedger.apply(null, 1, false, List.of(call("b", WEB_APP_RPC, false, 10))).counted();

    TraceLedger.Outcome outcome = TraceLedger.apply(counted, 2, false, List.of(call("b", WEB_APP_RPC, true, 99)));

    assertThat(outcome.deltas()).containsExactly(new EdgeDelta(WEB_APP_RPC, 10, 0, 1, Call.UNKNOWN, Call.UNKNOWN));
    assertThat(outcome.counted().calls()).containsExactly(new CountedCall("b", WEB_APP_RPC, true, 10));
  }

  @Test
  void fragment_addsOnlyNewCalls_andTakesNothingBack() {
    CountedTrace counted = TraceLedger.apply(null, 3, false, List.of(call("b", WEB_APP_RPC, false, 10))).counted();

    TraceLedger.Outcome outcome = TraceLedger.apply(counted, 1, true,
        List.of(call("b", WEB_APP_VIRTUAL, false, 10), call("e", WEB_APP_RPC, false, 20)));

    assertThat(outcome.stale()).isFalse();
    assertThat(outcome.deltas()).containsExactly(new EdgeDelta(WEB_APP_RPC, 20, 1, 0, 40, 30));
    assertThat(outcome.counted().calls()).extracting(CountedCall::id).containsExactly("b", "e");
    assertThat(outcome.counted().version()).isEqualTo(3);
    assertThat(TraceLedger.apply(outcome.counted(), 1, true, List.of(call("e", WEB_APP_RPC, false, 20))).deltas())
        .as("the same fragment again").isEmpty();
  }
}
