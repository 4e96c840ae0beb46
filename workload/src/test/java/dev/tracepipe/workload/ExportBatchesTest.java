package dev.tracepipe.workload;

import static dev.tracepipe.workload.TraceFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportBatchesTest {
  private static final long MS = 1_000_000L;
  /** Small batches so that each rule shows with a handful of spans: SDK 3 spans or 1 s, Collector 5 or 200 ms. */
  private static final ExportBatching SMALL = new ExportBatching(false, 3, Duration.ofSeconds(1), 5,
      Duration.ofMillis(200));

  private final ExportBatches batches = new ExportBatches(SMALL);

  @Test
  void aSpanIsHeldUntilItEnds() {
    batches.add(List.of(span("a", "1", "web", 0, 100)));
    assertThat(batches.advance(T0 + 99 * MS)).isEmpty();
    assertThat(batches.buffered()).isEqualTo(1);
  }

  @Test
  void aFullSdkBatchGoesToTheCollectorWhichSendsOnItsTimeout() {
    batches.add(List.of(span("a", "1", "web", 0, 10), span("b", "2", "web", 0, 20), span("c", "3", "web", 0, 30)));
    assertThat(batches.advance(T0 + 229 * MS)).as("collector timer runs from 30 ms").isEmpty();
    List<List<Span>> sent = batches.advance(T0 + 230 * MS);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).extracting(Span::getTraceId).containsExactly("a", "b", "c");
    assertThat(batches.buffered()).isZero();
  }

  @Test
  void aLoneSpanWaitsForTheSdkDelayThenTheCollectorTimeout() {
    batches.add(List.of(span("a", "1", "web", 0, 10)));
    assertThat(batches.advance(T0 + 1_009 * MS)).isEmpty();
    assertThat(batches.advance(T0 + 1_010 * MS)).as("SDK exports at 1,010 ms; Collector waits 200 ms").isEmpty();
    assertThat(batches.advance(T0 + 1_209 * MS)).isEmpty();
    assertThat(batches.advance(T0 + 1_210 * MS)).singleElement().satisfies(b -> assertThat(b).hasSize(1));
  }

  @Test
  void theCollectorSendsAsSoonAsItHoldsItsBatchSize() {
    batches.add(List.of(span("a", "1", "web", 0, 1), span("a", "2", "web", 0, 2), span("a", "3", "web", 0, 3),
        span("b", "4", "db", 0, 4), span("b", "5", "db", 0, 5), span("b", "6", "db", 0, 6)));
    List<List<Span>> sent = batches.advance(T0 + 6 * MS);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).hasSize(5);
    assertThat(batches.buffered()).isEqualTo(1);
  }

  @Test
  void servicesBatchSeparatelySoATracesSpansLeaveInDifferentMessages() {
    // One trace: web's span ends late and alone, db's three spans fill db's SDK batch early.
    batches.add(List.of(span("t", "1", "web", 0, 900), span("t", "2", "db", 0, 10), span("t", "3", "db", 0, 20),
        span("t", "4", "db", 0, 30)));
    List<List<Span>> first = batches.advance(T0 + 230 * MS);
    assertThat(first).singleElement().satisfies(b -> assertThat(b).extracting(Span::getService).containsOnly("db"));
    List<List<Span>> second = batches.advance(T0 + 2_000 * MS);
    assertThat(second).singleElement().satisfies(b -> assertThat(b).extracting(Span::getService).containsOnly("web"));
  }

  @Test
  void drainSendsEverythingHeldEndedOrNot() {
    batches.add(List.of(span("a", "1", "web", 0, 10), span("a", "2", "db", 0, 60_000)));
    batches.advance(T0 + 20 * MS);
    List<List<Span>> rest = batches.drain(T0 + 30 * MS);
    assertThat(rest.stream().flatMap(List::stream)).extracting(Span::getSpanId).containsExactlyInAnyOrder("1", "2");
    assertThat(batches.buffered()).isZero();
    assertThat(batches.drain(T0 + 40 * MS)).isEmpty();
  }

  @Test
  void simulatedTrafficLeavesEverySpanOnceAfterItEndsAndMixesTraces() {
    ExportBatches defaults = new ExportBatches(ExportBatching.honest());
    List<List<Span>> traces = TraceFixtures.traces(new SimulatedSystem(7), 3_000);
    List<Span> sent = new ArrayList<>();
    Map<String, Set<Integer>> messagesOfTrace = new HashMap<>();
    int message = 0;
    int traceIndex = 0;
    int mixedMessages = 0;
    // The fixtures start a trace every millisecond; the clock moves 10 ms a tick, as the sink's ticker does.
    for (long now = T0; now < T0 + 60_000 * MS; now += 10 * MS) {
      while (traceIndex < traces.size() && traces.get(traceIndex).get(0).getStartTimeNanos() <= now) {
        defaults.add(traces.get(traceIndex++));
      }
      for (List<Span> batch : defaults.advance(now)) {
        for (Span span : batch) {
          assertThat(span.getStartTimeNanos() + span.getDurationNanos()).isLessThanOrEqualTo(now);
          messagesOfTrace.computeIfAbsent(span.getTraceId(), t -> new HashSet<>()).add(message);
        }
        if (batch.stream().map(Span::getTraceId).distinct().count() > 1) {
          mixedMessages++;
        }
        sent.addAll(batch);
        message++;
      }
    }
    defaults.drain(T0 + 60_000 * MS).forEach(sent::addAll);
    List<Span> all = TraceFixtures.spans(traces);
    assertThat(sent).hasSize(all.size()).containsExactlyInAnyOrderElementsOf(all);
    assertThat(mixedMessages).as("messages holding spans of several traces").isEqualTo(message);
    assertThat(messagesOfTrace.values().stream().filter(m -> m.size() > 1).count())
        .as("traces spread over several messages").isGreaterThan(traces.size() / 2);
  }

  private static Span span(String trace, String id, String service, long startMs, long endMs) {
    return Span.newBuilder().setTraceId(trace).setSpanId(id).setService(service).setName("op")
        .setStartTimeNanos(T0 + startMs * MS).setDurationNanos((endMs - startMs) * MS).build();
  }
}
