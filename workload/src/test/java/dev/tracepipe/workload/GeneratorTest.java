package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  /** Keeps what it is sent, from any thread. */
  static class RecordingSink implements SpanSink {
    final List<List<Span>> traces = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean flushed = new AtomicBoolean();

    @Override
    public void send(List<List<Span>> batch) {
      traces.addAll(batch);
    }

    @Override
    public void flush() {
      flushed.set(true);
    }

    @Override
    public long failedSpans() {
      return 0;
    }

    @Override
    public void close() {}

    long spans() {
      synchronized (traces) {
        return traces.stream().mapToLong(List::size).sum();
      }
    }
  }

  @Test
  void sendsExactlyTheRequestedNumberOfTracesAndCountsThem() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Generator.Summary summary = Generator.builder(sink).seed(1).tracesPerSecond(0).maxTraces(500).build().run();

    assertThat(sink.traces).hasSize(500);
    assertThat(summary.traces()).isEqualTo(500);
    assertThat(summary.spans()).isEqualTo(sink.spans());
    assertThat(summary.errorSpans()).isEqualTo(sink.traces.stream().flatMap(List::stream)
        .filter(s -> s.getStatus().getCode() == dev.tracepipe.avro.StatusCode.ERROR).count());
    assertThat(sink.flushed).isTrue();
  }

  @Test
  void aSeededSingleThreadSendsWhatTheSystemWithThatSeedMakes() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Generator.builder(sink).seed(99).tracesPerSecond(0).maxTraces(50).build().run();
    SimulatedSystem same = new SimulatedSystem(99);
    for (List<Span> sent : sink.traces) {
      List<Span> expected = same.nextTrace(sent.get(0).getStartTimeNanos());
      assertThat(sent).hasSameSizeAs(expected);
      assertThat(sent.get(0).getTraceId()).isEqualTo(expected.get(0).getTraceId());
    }
  }

  @Test
  void severalThreadsShareTheTraceLimit() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Generator.builder(sink).seed(2).threads(3).tracesPerSecond(0).maxTraces(901).build().run();
    assertThat(sink.traces).hasSize(901);
    assertThat(sink.traces.stream().map(t -> t.get(0).getTraceId()).distinct()).hasSize(901);
  }

  @Test
  void holdsTheTraceRate() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Generator.Summary summary = Generator.builder(sink).seed(3).tracesPerSecond(200)
        .duration(Duration.ofMillis(1500)).build().run();
    assertThat(summary.traces()).isBetween(200L, 320L);
    // Start times follow the rate: 200 a second, 5 ms apart.
    long first = sink.traces.get(100).get(0).getStartTimeNanos();
    long tenth = sink.traces.get(110).get(0).getStartTimeNanos();
    assertThat(tenth - first).isBetween(45_000_000L, 55_000_000L);
  }

  @Test
  void aGeneratorThatFallsBehindStampsRequestsWithTheClockInstead() throws InterruptedException {
    List<Long> lagsNanos = Collections.synchronizedList(new ArrayList<>());
    SpanSink slow = new RecordingSink() {
      @Override
      public void send(List<List<Span>> batch) {
        java.time.Instant now = java.time.Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        lagsNanos.add(nowNanos - batch.get(0).get(0).getStartTimeNanos());
        // A sink that takes its time: 50 traces per 400 ms is far below the 1,000 a second asked for.
        java.util.concurrent.locks.LockSupport.parkNanos(400_000_000L);
      }
    };
    Generator.builder(slow).seed(6).tracesPerSecond(1000).maxBatchTraces(50).duration(Duration.ofMillis(3000))
        .build().run();
    assertThat(lagsNanos).hasSizeGreaterThan(4).allSatisfy(lag -> assertThat(lag).isLessThan(1_500_000_000L));
  }

  @Test
  void holdsTheSpanRateInWholeTraces() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Generator.Summary summary = Generator.builder(sink).seed(4).spansPerSecond(4000)
        .duration(Duration.ofMillis(1500)).build().run();
    assertThat(summary.spans()).isBetween(2000L, 6000L + 1600L);
  }

  @Test
  void switchesScheduledFaultsOn() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Faults faults = new Faults();
    Fault fault = Fault.parse("slow-host:payment");
    Generator generator = Generator.builder(sink).faults(faults).tracesPerSecond(100)
        .duration(Duration.ofMillis(600)).faultAfter(fault, Duration.ofMillis(100)).build();
    assertThat(faults.isActive(fault)).isFalse();
    generator.run();
    assertThat(faults.isActive(fault)).isTrue();
    assertThat(generator.faults()).isSameAs(faults);
  }

  @Test
  void printsAStatusLineEverySecond() throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Faults faults = new Faults();
    faults.activate(Fault.parse("missing-call:auth"));
    Generator.builder(new RecordingSink()).faults(faults).tracesPerSecond(50).duration(Duration.ofMillis(1300))
        .progress(new PrintStream(out, true, StandardCharsets.UTF_8)).build().run();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
        .contains("spans/s", "traces/s", "errors", "fault: missing-call:auth"));
  }

  @Test
  void stopEndsAnUnboundedRun() throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Generator generator = Generator.builder(sink).tracesPerSecond(1000).build();
    generator.start();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> generator.tracesSent() > 10);
    generator.stop();
    Generator.Summary summary = generator.await();
    assertThat(summary.traces()).isEqualTo(sink.traces.size()).isGreaterThan(10);
    assertThat(generator.isRunning()).isFalse();
  }

  @Test
  void aFailingSinkFailsTheRunWithItsException() {
    SpanSink broken = new RecordingSink() {
      @Override
      public void send(List<List<Span>> batch) {
        throw new IllegalStateException("broker gone");
      }
    };
    Generator generator = Generator.builder(broken).tracesPerSecond(0).maxTraces(10).build();
    assertThatThrownBy(generator::run).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broker gone")
        .hasRootCauseMessage("broker gone");
  }
}
