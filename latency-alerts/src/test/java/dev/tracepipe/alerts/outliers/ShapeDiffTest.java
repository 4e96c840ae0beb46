package dev.tracepipe.alerts.outliers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.CallDifference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeDiffTest {

  private static final CallKey ROOT = new CallKey("web", "GET /");
  private static final CallKey AUTH = new CallKey("auth", "check");
  private static final CallKey DB = new CallKey("db", "SELECT");
  private static final CallKey CACHE = new CallKey("cache", "GET");

  private final ShapeDiff diff = new ShapeDiff(20, 2.0, 10);

  private static CallShape learned(int traces) {
    CallShape shape = CallShape.empty();
    for (int i = 0; i < traces; i++) {
      // the cache is hit in 3 of 10 traces: normal variation, never a difference
      Map<CallKey, Integer> counts = i % 10 < 3 ? Map.of(ROOT, 1, AUTH, 2, DB, 1, CACHE, 1)
          : Map.of(ROOT, 1, AUTH, 2, DB, 1);
      shape.update(counts, 0.05, 100);
    }
    return shape;
  }

  @Test
  void oneCallWhereHealthyTracesMakeTwoIsMissing() {
    List<CallDifference> differences = diff.compare(learned(100), Map.of(ROOT, 1, AUTH, 1, DB, 1));
    assertThat(differences).hasSize(1);
    CallDifference d = differences.get(0);
    assertThat(d.getService()).isEqualTo("auth");
    assertThat(d.getOperation()).isEqualTo("check");
    assertThat(d.getExpectedCalls()).isEqualTo(2.0);
    assertThat(d.getActualCalls()).isEqualTo(1);
  }

  @Test
  void anUnusualCallIsExtraAndAMissingOneIsZero() {
    List<CallDifference> differences = diff.compare(learned(100),
        Map.of(ROOT, 1, AUTH, 2, new CallKey("db", "SELECT retry"), 3));
    assertThat(differences).extracting(d -> d.getService() + " " + d.getOperation() + " " + d.getActualCalls())
        .containsExactly("db SELECT retry 3", "db SELECT 0");
  }

  @Test
  void occasionalCallsWithinTheirSpreadAreNotDifferences() {
    CallShape shape = learned(100);
    assertThat(diff.compare(shape, Map.of(ROOT, 1, AUTH, 2, DB, 1, CACHE, 1))).isEmpty();
    assertThat(diff.compare(shape, Map.of(ROOT, 1, AUTH, 2, DB, 1))).isEmpty();
  }

  @Test
  void aYoungShapeReportsNothing() {
    assertThat(diff.compare(learned(19), Map.of(ROOT, 1))).isEmpty();
    assertThat(diff.compare(learned(20), Map.of(ROOT, 1))).isNotEmpty();
  }

  @Test
  void earlyTracesAreAveragedPlainlyNotPulledTowardsZero() {
    CallShape shape = learned(3);
    assertThat(shape.calls().get(AUTH).mean()).isEqualTo(2.0);
    assertThat(shape.calls().get(AUTH).stdDev()).isEqualTo(0.0);
  }

  @Test
  void theShapeFollowsAChangeAndForgetsCallsThatStopped() {
    CallShape shape = learned(100);
    for (int i = 0; i < 300; i++) {
      shape.update(Map.of(ROOT, 1, AUTH, 1, DB, 1), 0.05, 100);
    }
    assertThat(shape.calls().get(AUTH).mean()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(shape.calls()).doesNotContainKey(CACHE);
    assertThat(diff.compare(shape, Map.of(ROOT, 1, AUTH, 1, DB, 1))).isEmpty();
  }

  @Test
  void theRarestCallsAreForgottenBeyondTheCap() {
    CallShape shape = CallShape.empty();
    int forgotten = shape.update(Map.of(ROOT, 1, AUTH, 3, DB, 2, CACHE, 1), 0.05, 2);
    assertThat(forgotten).isEqualTo(2);
    assertThat(shape.calls().keySet()).containsExactlyInAnyOrder(AUTH, DB);
  }

  @Test
  void differencesAreCappedBiggestFirst() {
    ShapeDiff capped = new ShapeDiff(1, 2.0, 1);
    List<CallDifference> differences = capped.compare(learned(30), Map.of(ROOT, 1, AUTH, 7));
    assertThat(differences).extracting(CallDifference::getService).containsExactly("auth");
  }
}
