package dev.tracepipe.latency;

import dev.tracepipe.avro.OperationLatency;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;

/** The records a closed window publishes: one for the operation, one per dimension combination. */
final class WindowSummaries {

  private WindowSummaries() {}

  static List<KeyValue<String, OperationLatency>> of(Windowed<String> window, LatencyAccumulator acc) {
    OperationKey key = OperationKey.decode(window.key());
    List<KeyValue<String, OperationLatency>> records = new ArrayList<>();
    records.add(KeyValue.pair(window.key(), record(key, window, Map.of(), acc.total())));
    acc.byDimensions().forEach((dims, cell) -> records.add(KeyValue.pair(window.key(), record(key, window, dims, cell))));
    return records;
  }

  static OperationLatency record(OperationKey key, Windowed<String> window, Map<String, String> dims,
      LatencyAccumulator.Cell cell) {
    return OperationLatency.newBuilder()
        .setService(key.service())
        .setOperation(key.operation())
        .setKind(key.kind())
        .setDimensions(dims)
        .setWindowStartMillis(window.window().start())
        .setWindowEndMillis(window.window().end())
        .setErrorCount(cell.errors)
        .setLatency(cell.sketch.toSummary())
        .build();
  }
}
