package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Encodes as a real sink would and throws the bytes away: measures the generator and encoder alone. */
final class EncodeOnlySink implements SpanSink {
  private final BatchEncoder encoder;
  private final LongAdder messages = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  EncodeOnlySink(BatchEncoder encoder) {
    this.encoder = encoder;
  }

  @Override
  public void send(List<List<Span>> traces) {
    for (BatchEncoder.Message message : encoder.encode(traces)) {
      messages.increment();
      bytes.add(message.value().length);
    }
  }

  long messages() {
    return messages.sum();
  }

  long bytes() {
    return bytes.sum();
  }

  @Override
  public void flush() {}

  @Override
  public long failedSpans() {
    return 0;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "nowhere (encode only)";
  }
}
