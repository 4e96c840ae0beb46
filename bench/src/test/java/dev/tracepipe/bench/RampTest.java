package dev.tracepipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RampTest {
  /** A step as the scripted subject ran it: its rate, whether it kept up, and how many settles came before it. */
  record Step(double offered, boolean keptUp, int settledBefore) {}

  /** Keeps up by a rule of (rate, how many times that rate ran before); counts the waits for catching up. */
  static final class Scripted implements Ramp.Subject<Step> {
    private final BiPredicate<Double, Integer> keeps;
    private final List<Double> ran = new ArrayList<>();
    int settles;

    Scripted(BiPredicate<Double, Integer> keeps) {
      this.keeps = keeps;
    }

    @Override
    public Step step(double rate) {
      int before = (int) ran.stream().filter(r -> r == rate).count();
      ran.add(rate);
      return new Step(rate, keeps.test(rate, before), settles);
    }

    @Override
    public boolean keptUp(Step step) {
      return step.keptUp();
    }

    @Override
    public double offered(Step step) {
      return step.offered();
    }

    @Override
    public void settle() {
      settles++;
    }
  }

  private static final BenchOptions OPTIONS = options();

  @Test
  void aRateThatFallsBehindTwiceEndsTheRampAndTheIntervalBelowItIsRefined() throws Exception {
    Scripted subject = new Scripted((rate, before) -> rate < 25_000);
    List<Step> steps = Ramp.search(OPTIONS.rampRates(), 1.25, 3_000, OPTIONS, subject);

    List<Double> offered = steps.stream().map(Step::offered).toList();
    assertThat(offered).containsSubsequence(17_881.0, 22_351.0, 27_939.0, 27_939.0, 24_989.0, 26_422.0)
        .doesNotContain(34_924.0);
    assertThat(offered).filteredOn(r -> r == 27_939.0).hasSize(2);
    // Each run after a step that fell behind waits for the stages first: the retry and both refined steps.
    assertThat(subject.settles).isEqualTo(3);
    assertThat(steps.get(steps.size() - 1).settledBefore()).isEqualTo(3);
    assertThat(highest(steps)).isEqualTo(24_989.0);
  }

  @Test
  void oneStepThatFallsBehindOnceDoesNotEndTheRamp() throws Exception {
    Scripted subject = new Scripted((rate, before) -> rate < 30_000 && !(rate == 17_881.0 && before == 0));
    List<Step> steps = Ramp.search(OPTIONS.rampRates(), 1.25, 3_000, OPTIONS, subject);

    List<Double> offered = steps.stream().map(Step::offered).toList();
    assertThat(offered).containsSubsequence(17_881.0, 17_881.0, 22_351.0, 27_939.0, 34_924.0, 34_924.0);
    assertThat(highest(steps)).isGreaterThanOrEqualTo(27_939.0).isLessThan(30_000.0);
  }

  @Test
  void whenTheFirstRateFallsBehindTwiceTheRampGoesDownUntilAStepKeepsUp() throws Exception {
    Scripted subject = new Scripted((rate, before) -> rate <= 20_000);
    List<Step> steps = Ramp.search(Ramp.upFrom(40_000, 1.25, 50_000), 1.25, 3_000, OPTIONS, subject);

    List<Double> offered = steps.stream().map(Step::offered).toList();
    assertThat(offered).startsWith(40_000.0, 40_000.0, 32_000.0, 32_000.0, 25_600.0, 25_600.0, 20_480.0,
        20_480.0, 16_384.0);
    assertThat(highest(steps)).isGreaterThanOrEqualTo(16_384.0).isLessThanOrEqualTo(20_000.0);
  }

  @Test
  void aRampThatNeverFallsBehindRunsEveryRateOnceAndNothingElse() throws Exception {
    Scripted subject = new Scripted((rate, before) -> true);
    List<Step> steps = Ramp.search(OPTIONS.rampRates(), 1.25, 3_000, OPTIONS, subject);

    assertThat(steps.stream().map(Step::offered).toList()).isEqualTo(OPTIONS.rampRates());
    assertThat(subject.settles).isZero();
  }

  /** The highest offered rate that kept up. */
  private static double highest(List<Step> steps) {
    return steps.stream().filter(Step::keptUp).mapToDouble(Step::offered).max().orElse(Double.NaN);
  }

  private static BenchOptions options() {
    CommandLine commandLine = BenchCommand.commandLine(new Launcher("unused", "unused"));
    commandLine.parseArgs();
    return ((BenchCommand) commandLine.getCommand()).options();
  }
}
