package dev.tracepipe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The search for the highest offered rate a subject keeps up with, the same for the pipeline and for Zipkin's server:
 * up through the given rates while steps keep up; a step that falls behind is run once more at the same rate after
 * the subject caught up (one slow spell of a shared machine sinks a single step, not two), and the ramp stops at the
 * first rate that falls behind twice. When even the first rate fell behind twice, it goes down by the factor, to no
 * lower than {@code floor}, until a rate keeps up (with the same second chance). Then {@link BenchOptions#refinedRate} steps between the highest
 * rate that kept up and the lowest above it that did not, each after the subject caught up.
 */
final class Ramp {
  /** What the ramp drives: one measured step at an offered rate, and a wait until the input is read. */
  interface Subject<R> {
    R step(double rate) throws Exception;

    boolean keptUp(R step);

    double offered(R step);

    /** Waits until the subject read what it was sent, so that no step inherits the backlog of the one before. */
    void settle() throws Exception;
  }

  private Ramp() {}

  /** Every step run, in the order run; {@code rates} ascending. */
  static <R> List<R> search(List<Double> rates, double factor, double floor, BenchOptions options,
      Subject<R> subject) throws Exception {
    List<R> steps = new ArrayList<>();
    boolean anyKept = false;
    double fell = Double.NaN;
    for (double rate : rates) {
      if (!attempt(rate, subject, steps)) {
        fell = rate;
        break;
      }
      anyKept = true;
    }
    if (!anyKept && !Double.isNaN(fell)) {
      for (double rate = Math.floor(fell / factor); rate >= floor; rate = Math.floor(rate / factor)) {
        subject.settle();
        if (attempt(rate, subject, steps)) {
          break;
        }
      }
    }
    int refined = 0;
    for (OptionalDouble next = options.refinedRate(offered(steps, subject, true), offered(steps, subject, false), 0);
        next.isPresent();
        next = options.refinedRate(offered(steps, subject, true), offered(steps, subject, false), ++refined)) {
      subject.settle();
      steps.add(subject.step(next.getAsDouble()));
    }
    return steps;
  }

  /** Runs a step at {@code rate}, and once more after the subject caught up when it fell behind; whether one kept up. */
  private static <R> boolean attempt(double rate, Subject<R> subject, List<R> steps) throws Exception {
    R step = subject.step(rate);
    steps.add(step);
    if (subject.keptUp(step)) {
      return true;
    }
    subject.settle();
    step = subject.step(rate);
    steps.add(step);
    return subject.keptUp(step);
  }

  /** Rates from {@code first} up by {@code factor} to at most {@code last}, which ends the list. */
  static List<Double> upFrom(double first, double factor, double last) {
    List<Double> rates = new ArrayList<>();
    for (double r = Math.min(first, last); r < last; r *= factor) {
      rates.add(Math.floor(r));
    }
    rates.add(last);
    return rates;
  }

  private static <R> List<Double> offered(List<R> steps, Subject<R> subject, boolean keptUp) {
    return steps.stream().filter(s -> subject.keptUp(s) == keptUp).map(subject::offered).toList();
  }
}
