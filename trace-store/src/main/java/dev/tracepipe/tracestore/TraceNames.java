package dev.tracepipe.tracestore;

import dev.tracepipe.avro.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Service names, span names per service, remote service names per service and values of the autocomplete tag keys,
 * each with the last time a trace used it, so that names go when the traces that had them have expired.
 */
final class TraceNames {
  /** Names whose stored time is remembered at most; past it the memory starts again. */
  private static final int MAX_KNOWN = 100_000;
  /** A name seen again is rewritten only when its time is this much older, to spare the changelog. */
  private final long refreshMillis;
  private final KeyValueStore<String, Long> store;
  private final TraceStoreSettings settings;
  private final TraceStoreMetrics metrics;
  /**
   * The time the store holds for names this processor read or wrote, so that a name every trace repeats costs no store
   * read: only this processor writes the store, and a new processor (a task that moved or restarted) starts empty.
   */
  private final Map<String, Long> known = new HashMap<>();

  TraceNames(KeyValueStore<String, Long> store, TraceStoreSettings settings, TraceStoreMetrics metrics) {
    this.store = store;
    this.settings = settings;
    this.metrics = metrics;
    this.refreshMillis = Math.min(Duration.ofHours(1).toMillis(), settings.retention().toMillis() / 10);
  }

  /** Names as Zipkin reads them from these spans (see {@link SearchFacts}). */
  void add(List<Span> spans, long seen) {
    for (Span span : spans) {
      String service = SearchFacts.serviceName(span);
      if (service != null) {
        touch(IndexKeys.name(IndexKeys.SERVICE, null, service), seen);
        String name = SearchFacts.spanName(span);
        if (name != null) touch(IndexKeys.name(IndexKeys.SPAN_NAME, service, name), seen);
        String remote = SearchFacts.remoteServiceName(span);
        if (remote != null) touch(IndexKeys.name(IndexKeys.REMOTE_SERVICE, service, remote), seen);
      }
      for (String key : settings.autocompleteKeys()) {
        String value = SearchFacts.tag(span, key);
        if (value != null) touchValue(key, value, seen);
      }
    }
  }

  private void touch(String key, long seen) {
    Long last = stored(key);
    if (last == null || last < seen - refreshMillis) {
      long time = last == null ? seen : Math.max(last, seen);
      store.put(key, time);
      remember(key, time);
    }
  }

  private Long stored(String key) {
    Long last = known.get(key);
    if (last == null) {
      last = store.get(key);
      if (last != null) {
        remember(key, last);
      }
    }
    return last;
  }

  private void remember(String key, long time) {
    if (known.size() >= MAX_KNOWN) {
      known.clear();
    }
    known.put(key, time);
  }

  private void touchValue(String tagKey, String value, long seen) {
    String key = IndexKeys.name(IndexKeys.TAG_VALUE, tagKey, value);
    if (stored(key) == null && count(IndexKeys.namePrefix(IndexKeys.TAG_VALUE, tagKey)) >= settings.maxValuesPerKey()) {
      metrics.droppedValue(tagKey);
      return;
    }
    touch(key, seen);
  }

  private int count(String prefix) {
    int n = 0;
    try (KeyValueIterator<String, Long> it = store.prefixScan(prefix, Serdes.String().serializer())) {
      while (it.hasNext() && n < settings.maxValuesPerKey()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  void expire(long cutoff) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> kv = it.next();
        if (kv.value < cutoff) old.add(kv.key);
      }
    }
    old.forEach(key -> {
      store.delete(key);
      known.remove(key);
    });
  }
}
