package dev.tracepipe.tracestore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The trace store's meters ({@code tracepipe_trace_store_*}), each drop also logged at most once a minute. */
final class TraceStoreMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(TraceStoreMetrics.class);
  private static final long LOG_INTERVAL_MS = 60_000;

  final Counter stored;
  final Counter expired;
  final Counter staleVersions;
  final Counter droppedValues;
  final Counter truncatedSearches;
  final Counter rejected;
  private final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicLong unlogged = new AtomicLong();

  TraceStoreMetrics(MeterRegistry meters) {
    Objects.requireNonNull(meters, "meters == null");
    stored = Counter.builder("tracepipe.trace.store.traces.stored")
        .description("Trace versions stored (a new trace or a later version of one)").register(meters);
    expired = Counter.builder("tracepipe.trace.store.traces.expired")
        .description("Traces deleted because their retention ended").register(meters);
    staleVersions = Counter.builder("tracepipe.trace.store.versions.stale")
        .description("Trace records ignored because a later or equal version was already stored").register(meters);
    droppedValues = Counter.builder("tracepipe.trace.store.autocomplete.dropped")
        .description("Tag values not remembered because their key reached the autocomplete cap").register(meters);
    rejected = Counter.builder("tracepipe.trace.store.traces.rejected")
        .description("Trace records not stored because Zipkin's model rejects a span (bad id, port)").register(meters);
    truncatedSearches = Counter.builder("tracepipe.trace.store.search.truncated")
        .description("Searches that stopped at the candidate cap before reaching their limit").register(meters);
  }

  void staleVersion(String traceId, int version, int storedVersion) {
    staleVersions.increment();
    logBounded(() -> "ignored version " + version + " of trace " + traceId + ": version " + storedVersion + " is stored");
  }

  void droppedValue(String key) {
    droppedValues.increment();
    logBounded(() -> "autocomplete key " + key + " reached its cap of distinct values; new values are not remembered");
  }

  void rejected(String traceId, String reason) {
    rejected.increment();
    logBounded(() -> "trace " + traceId + " not stored: " + reason);
  }

  void truncatedSearch(int candidates) {
    truncatedSearches.increment();
    logBounded(() -> "a search stopped after " + candidates + " candidates");
  }

  /** One line a minute at most, with how many similar events it stands for. */
  private void logBounded(Supplier<String> message) {
    long now = System.currentTimeMillis();
    long last = lastLog.get();
    if (now - last >= LOG_INTERVAL_MS && lastLog.compareAndSet(last, now)) {
      long more = unlogged.getAndSet(0);
      LOG.warn("{}{}", message.get(), more > 0 ? " (and " + more + " more such events since the last line)" : "");
    } else {
      unlogged.incrementAndGet();
    }
  }
}
