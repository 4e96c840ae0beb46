package dev.tracepipe.tracestore;

import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.http.HttpException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import zipkin2.storage.QueryRequest;

/** Reads of this instance's active partitions: one trace, names, and a search over the index. */
final class LocalTraces {
  private final KafkaStreams streams;
  private final TraceStoreMetrics metrics;
  private final int maxCandidates;

  LocalTraces(KafkaStreams streams, TraceStoreMetrics metrics, int maxCandidates) {
    this.streams = streams;
    this.metrics = metrics;
    this.maxCandidates = maxCandidates;
  }

  /** One hit of a search: the trace's Zipkin timestamp and spans. */
  record Hit(long timestamp, String traceId, List<zipkin2.Span> spans) {}

  Optional<Trace> trace(String traceId) {
    ValueAndTimestamp<Trace> stored = store(TraceStoreTopology.TRACE_STORE,
        QueryableStoreTypes.<String, Trace>timestampedKeyValueStore()).get(traceId);
    return stored == null ? Optional.empty() : Optional.of(stored.value());
  }

  /** Names of one kind under a parent (null for service names), sorted. */
  List<String> names(String kind, String parent) {
    ReadOnlyKeyValueStore<String, Long> names =
        store(TraceStoreTopology.NAME_STORE, QueryableStoreTypes.<String, Long>keyValueStore());
    Set<String> out = new TreeSet<>();
    try (KeyValueIterator<String, Long> it = names.prefixScan(IndexKeys.namePrefix(kind, parent),
        org.apache.kafka.common.serialization.Serdes.String().serializer())) {
      while (it.hasNext()) out.add(IndexKeys.nameValue(it.next().key));
    }
    return List.copyOf(out);
  }

  /**
   * The newest traces that match, at most {@code request.limit()}: in each local partition, walks the index of the
   * service (or of every trace) from {@code endTs} back to {@code endTs - lookback}, tests each trace with Zipkin's
   * own rules, and keeps the newest hits of all partitions. Partitions are read one by one because a store over
   * several partitions iterates them one after the other, not in time order.
   */
  List<Hit> search(QueryRequest request) {
    List<Hit> hits = new ArrayList<>();
    for (int partition : activePartitions()) hits.addAll(search(request, partition));
    hits.sort(NEWEST_FIRST);
    return hits.size() > request.limit() ? List.copyOf(hits.subList(0, request.limit())) : hits;
  }

  static final java.util.Comparator<Hit> NEWEST_FIRST =
      java.util.Comparator.comparingLong(Hit::timestamp).reversed().thenComparing(Hit::traceId);

  private List<Hit> search(QueryRequest request, int partition) {
    ReadOnlyKeyValueStore<String, String> index = store(StoreQueryParameters.fromNameAndType(
        TraceStoreTopology.SEARCH_STORE, QueryableStoreTypes.<String, String>keyValueStore()).withPartition(partition));
    ReadOnlyKeyValueStore<String, ValueAndTimestamp<Trace>> traces = store(StoreQueryParameters.fromNameAndType(
        TraceStoreTopology.TRACE_STORE, QueryableStoreTypes.<String, Trace>timestampedKeyValueStore())
        .withPartition(partition));
    String service = request.serviceName() == null ? IndexKeys.ANY_SERVICE : request.serviceName();
    long from = Math.max(0, (request.endTs() - request.lookback()) * 1000);
    long to = request.endTs() * 1000;
    List<Hit> hits = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    int candidates = 0;
    try (KeyValueIterator<String, String> it =
        index.reverseRange(IndexKeys.searchFrom(service, from), IndexKeys.searchTo(service, to))) {
      while (it.hasNext() && hits.size() < request.limit()) {
        if (++candidates > maxCandidates) {
          metrics.truncatedSearch(maxCandidates);
          break;
        }
        String traceId = IndexKeys.traceIdOf(it.next().key);
        if (!seen.add(traceId)) continue;
        ValueAndTimestamp<Trace> stored = traces.get(traceId);
        if (stored == null) continue;
        List<zipkin2.Span> spans = ZipkinSpans.of(stored.value());
        if (request.test(spans)) hits.add(new Hit(SearchFacts.timestampMicros(stored.value()), traceId, spans));
      }
    }
    return hits;
  }

  /** The partitions whose active task runs here; a search of this instance covers exactly these. */
  private Set<Integer> activePartitions() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw new HttpException(503, "trace store is " + streams.state() + "; retry");
    }
    Set<Integer> partitions = new TreeSet<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        task.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
      }
    }
    return partitions;
  }

  private <T> T store(String name, QueryableStoreType<T> type) {
    return store(StoreQueryParameters.fromNameAndType(name, type));
  }

  private <T> T store(StoreQueryParameters<T> parameters) {
    try {
      return streams.store(parameters);
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, parameters.storeName() + " is not queryable right now (" + e.getMessage()
          + "); retry");
    }
  }
}
