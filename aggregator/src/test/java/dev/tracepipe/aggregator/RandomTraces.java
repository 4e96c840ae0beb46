package dev.tracepipe.aggregator;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random but reproducible traces for property tests, integration tests and the benchmark. */
final class RandomTraces {

  private static final String[] SERVICES = {"gateway", "orders", "billing", "stock", "mail", "auth"};

  private final Random random;

  RandomTraces(long seed) {
    this.random = new Random(seed);
  }

  String traceId() {
    return String.format("%016x%016x", random.nextLong(), random.nextLong());
  }

  /**
   * A tree of {@code size} spans under one root, some with a shared server half and a few with a missing parent,
   * starting near {@code startMs}.
   */
  List<Span> trace(String traceId, int size, long startMs) {
    List<Span> spans = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      String parent = i == 0 ? null
          : random.nextInt(50) == 0 ? String.format("%016x", random.nextLong())
          : spans.get(random.nextInt(spans.size())).getSpanId();
      Span span = span(traceId, String.format("%016x", random.nextLong()), parent, startMs);
      spans.add(span);
      if (i > 0 && random.nextInt(5) == 0) {
        spans.add(Span.newBuilder(span).setShared(true).setKind(SpanKind.SERVER)
            .setService(SERVICES[random.nextInt(SERVICES.length)])
            .setStartTimeNanos(span.getStartTimeNanos() + 1_000).build());
      }
    }
    return spans.subList(0, Math.min(size, spans.size()));
  }

  private Span span(String traceId, String spanId, String parent, long startMs) {
    Map<String, String> attributes = new HashMap<>();
    for (int a = random.nextInt(4); a > 0; a--) {
      attributes.put("k" + random.nextInt(10), "v" + random.nextInt(1000));
    }
    return Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setParentSpanId(parent)
        .setService(SERVICES[random.nextInt(SERVICES.length)])
        .setName("op" + random.nextInt(8))
        .setKind(SpanKind.values()[random.nextInt(SpanKind.values().length)])
        .setStartTimeNanos(startMs * 1_000_000L + random.nextInt(1_000_000) * 1_000L)
        .setDurationNanos(random.nextInt(100_000) * 1_000L)
        .setStatus(new Status(random.nextInt(10) == 0 ? StatusCode.ERROR : StatusCode.UNSET, null))
        .setAttributes(attributes)
        .build();
  }

  /** The spans plus {@code copies} copies of random ones, some exact and some differing, in a random order. */
  List<Span> arrivals(List<Span> spans, int copies) {
    List<Span> all = new ArrayList<>(spans);
    for (int c = 0; c < copies; c++) {
      Span original = spans.get(random.nextInt(spans.size()));
      all.add(switch (random.nextInt(3)) {
        case 0 -> original;
        case 1 -> Span.newBuilder(original).setDurationNanos(original.getDurationNanos() + random.nextInt(3)).build();
        default -> Span.newBuilder(original).setAttributes(Map.of("retry", String.valueOf(random.nextInt(3)))).build();
      });
    }
    Collections.shuffle(all, random);
    return all;
  }
}
