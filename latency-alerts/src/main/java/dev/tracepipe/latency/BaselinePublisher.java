package dev.tracepipe.latency;

import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.platform.BinarySerde;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each operation's most recent closed windows and, whenever one closes, publishes their merge as the
 * operation's baseline: the adaptive rule and blame compare against it.
 */
final class BaselinePublisher implements Processor<Windowed<String>, LatencyAccumulator, String, OperationLatency> {

  static final String RECENT_WINDOWS_STORE = "latency-recent-windows";

  /** One closed window's sketch. */
  record RecentWindow(long start, long end, long errors, byte[] sketch) {}

  static final Serde<List<RecentWindow>> RECENT_SERDE = BinarySerde.of("recent windows", 1, (windows, out) -> {
    out.writeInt(windows.size());
    for (RecentWindow w : windows) {
      out.writeLong(w.start());
      out.writeLong(w.end());
      out.writeLong(w.errors());
      BinarySerde.writeBytes(w.sketch(), out);
    }
  }, in -> {
    int n = in.readInt();
    List<RecentWindow> windows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      windows.add(new RecentWindow(in.readLong(), in.readLong(), in.readLong(), BinarySerde.readBytes(in)));
    }
    return windows;
  });

  private final int keep;
  private ProcessorContext<String, OperationLatency> context;
  private KeyValueStore<String, List<RecentWindow>> recent;

  BaselinePublisher(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("baseline windows >= 1 required: " + keep);
    }
    this.keep = keep;
  }

  @Override
  public void init(ProcessorContext<String, OperationLatency> context) {
    this.context = context;
    this.recent = context.getStateStore(RECENT_WINDOWS_STORE);
  }

  @Override
  public void process(Record<Windowed<String>, LatencyAccumulator> record) {
    if (record.value() == null) {
      return;
    }
    String key = record.key().key();
    long start = record.key().window().start();
    long end = record.key().window().end();
    long span = (end - start) * keep;
    List<RecentWindow> windows = new ArrayList<>();
    List<RecentWindow> stored = recent.get(key);
    if (stored != null) {
      windows.addAll(stored);
    }
    windows.removeIf(w -> w.start() == start);
    windows.add(new RecentWindow(start, end, record.value().total().errors, record.value().total().sketch.toBytes()));
    windows.sort(Comparator.comparingLong(RecentWindow::start));
    long newestEnd = windows.get(windows.size() - 1).end();
    // Only windows within the last `keep` window lengths: an operation idle for hours starts afresh.
    windows.removeIf(w -> w.end() <= newestEnd - span);
    while (windows.size() > keep) {
      windows.remove(0);
    }
    recent.put(key, windows);
    LatencySketch merged = new LatencySketch();
    windows.forEach(w -> merged.merge(LatencySketch.fromBytes(w.sketch())));
    OperationKey op = OperationKey.decode(key);
    OperationLatency baseline = OperationLatency.newBuilder()
        .setService(op.service())
        .setOperation(op.operation())
        .setKind(op.kind())
        .setWindowStartMillis(windows.get(0).start())
        .setWindowEndMillis(newestEnd)
        .setErrorCount(windows.stream().mapToLong(RecentWindow::errors).sum())
        .setLatency(merged.toSummary())
        .build();
    context.forward(new Record<>(key, baseline, record.timestamp()));
  }
}
