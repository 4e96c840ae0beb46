package dev.tracepipe.workload;

import static dev.tracepipe.workload.TraceFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchingSinkTest {
  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong(T0);
  private final RecordingSink downstream = new RecordingSink();
  private final BatchingSink sink = new BatchingSink(downstream,
      new ExportBatching(false, 512, Duration.ofSeconds(5), 8_192, Duration.ofMillis(200)), clock::get);

  @Test
  void spansReachTheSinkBehindOnlyWhenTheClockSaysTheirBatchIsDue() {
    List<List<Span>> traces = TraceFixtures.traces(new SimulatedSystem(3), 20);
    sink.send(traces);
    sink.tick();
    assertThat(downstream.sent).isEmpty();
    assertThat(sink.buffered()).isEqualTo(TraceFixtures.spans(traces).size());

    clock.set(T0 + 5_300 * MS);
    sink.tick();
    assertThat(downstream.sent).as("SDK delay and Collector timeout passed").isNotEmpty();
    assertThat(downstream.sent).allSatisfy(message -> assertThat(message).hasSize(1));
  }

  @Test
  void flushSendsEverythingAndFlushesTheSinkBehind() {
    List<List<Span>> traces = TraceFixtures.traces(new SimulatedSystem(3), 20);
    sink.send(traces);
    sink.flush();
    assertThat(downstream.sent.stream().flatMap(List::stream).flatMap(List::stream))
        .containsExactlyInAnyOrderElementsOf(TraceFixtures.spans(traces));
    assertThat(downstream.flushes).isEqualTo(1);
    assertThat(sink.buffered()).isZero();
  }

  @Test
  void closeFlushesThenClosesTheSinkBehind() {
    sink.send(TraceFixtures.traces(new SimulatedSystem(3), 2));
    sink.close();
    assertThat(downstream.sent).isNotEmpty();
    assertThat(downstream.closed).isTrue();
  }

  @Test
  void traceModeIsTheSinkItself() {
    assertThat(SpanSinks.batched(downstream, ExportBatching.TRACE)).isSameAs(downstream);
  }

  /** Keeps what it was given. */
  static final class RecordingSink implements SpanSink {
    final List<List<List<Span>>> sent = new ArrayList<>();
    int flushes;
    boolean closed;

    @Override
    public synchronized void send(List<List<Span>> traces) {
      sent.add(traces);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public long failedSpans() {
      return 0;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
