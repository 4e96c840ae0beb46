package dev.tracepipe.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Counters of accepted, rejected and capped spans per format (and reason), as Prometheus {@code *_total} series. Each
 * counter is registered when first counted and then kept, so that counting a span looks no meter up by its tags.
 */
final class IngestMetrics {
  static final String ACCEPTED = IngestStage.SPANS_ACCEPTED_METRIC;
  static final String REJECTED = "tracepipe.ingest.spans.rejected";
  static final String TRUNCATED = "tracepipe.ingest.spans.truncated";
  static final String SERVICE_DEFAULTED = "tracepipe.ingest.spans.service.defaulted";

  private static final InputFormat[] FORMATS = InputFormat.values();
  private static final RejectReason[] REASONS = RejectReason.values();

  private final Counters accepted;
  private final Counters truncated;
  private final Counters serviceDefaulted;
  /** Indexed by format and reason: {@code format.ordinal() * REASONS.length + reason.ordinal()}. */
  private final Counters rejected;

  IngestMetrics(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry == null");
    this.accepted = byFormat(registry, ACCEPTED, "Spans written to the canonical topic");
    this.truncated = byFormat(registry, TRUNCATED,
        "Accepted spans whose values, attributes, events or links were capped");
    this.serviceDefaulted = byFormat(registry, SERVICE_DEFAULTED, "Accepted spans that named no service");
    this.rejected = new Counters(FORMATS.length * REASONS.length, i -> Counter.builder(REJECTED)
        .description("Spans or undecodable messages sent to the dead-letter topic")
        .tag("format", FORMATS[i / REASONS.length].label()).tag("reason", REASONS[i % REASONS.length].label())
        .register(registry));
  }

  void accepted(InputFormat format) {
    accepted.get(format.ordinal()).increment();
  }

  /** Counts rejected spans; a whole message that could not be decoded counts once. */
  void rejected(InputFormat format, RejectReason reason) {
    rejected.get(format.ordinal() * REASONS.length + reason.ordinal()).increment();
  }

  void truncated(InputFormat format) {
    truncated.get(format.ordinal()).increment();
  }

  void serviceDefaulted(InputFormat format) {
    serviceDefaulted.get(format.ordinal()).increment();
  }

  private static Counters byFormat(MeterRegistry registry, String name, String description) {
    return new Counters(FORMATS.length, i -> Counter.builder(name).description(description)
        .tag("format", FORMATS[i].label()).register(registry));
  }

  /** Counters registered on first use; HTTP receivers and stream threads count concurrently. */
  private static final class Counters {
    private final AtomicReferenceArray<Counter> counters;
    private final IntFunction<Counter> register;

    Counters(int size, IntFunction<Counter> register) {
      this.counters = new AtomicReferenceArray<>(size);
      this.register = register;
    }

    Counter get(int index) {
      Counter counter = counters.get(index);
      if (counter == null) {
        // Registering is idempotent: a race registers the same counter twice and keeps either.
        counter = register.apply(index);
        counters.set(index, counter);
      }
      return counter;
    }
  }
}
