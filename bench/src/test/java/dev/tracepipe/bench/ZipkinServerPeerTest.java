package dev.tracepipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZipkinServerPeerTest {

  @Test
  void countsOnlyTheKafkaTransportOfTheCollectorCounter() {
    String page = """
        # HELP zipkin_collector_spans_total
        # TYPE zipkin_collector_spans_total counter
        zipkin_collector_spans_total{transport="http",} 7.0
        zipkin_collector_spans_total{transport="kafka",} 123456.0
        zipkin_collector_spans_dropped_total{transport="kafka",} 3.0
        """;
    assertThat(ZipkinServerPeer.counter(page)).isEqualTo(123_456);
    assertThat(ZipkinServerPeer.counter("jvm_threads_live 12.0\n")).isZero();
  }

  @Test
  void cpuTicksAreUserPlusSystemTimeEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
    String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1500 250 0 0 20 0 40 0 100 0 0";
    assertThat(ZipkinServerPeer.cpuTicks(stat)).isEqualTo(1_750);
  }

  @Test
  void summaryLineSaysSustainedRateShareOfCeilingAndZipkinsRate() {
    KafkaCeiling.Result ceiling = new KafkaCeiling.Result(300, 1_000_000, 2.0, 1.0);
    PeerSection section = new PeerSection(ceiling, List.of(),
        new ZipkinServerPeer.Result(600_000, 10.0, 18.0, 25.0, 2_000_000, "measured for 10 s"));
    assertThat(section.summary()).isEqualTo("end-to-end sustained: 0 spans/s = 0.0% of the Kafka ceiling"
        + " (500000 records/s); Zipkin server: 60000 spans/s");
  }

  @Test
  void aLiveStepKeepsUpByThePipelinesRule() {
    // Consumed 95% of what was sent, 1 s of input unread at the end.
    assertThat(new ZipkinServerPeer.LiveStep(30_000, 12, 30_000, 28_500, 5_000, 30_000, 1.5, 0.3).keptUp()).isTrue();
    // Less than 90% consumed.
    assertThat(new ZipkinServerPeer.LiveStep(30_000, 12, 30_000, 26_000, 5_000, 30_000, 1.5, 0.3).keptUp())
        .isFalse();
    // More than 2 s unread at the end, and more than at the start.
    assertThat(new ZipkinServerPeer.LiveStep(30_000, 12, 30_000, 29_000, 5_000, 70_000, 1.5, 0.3).keptUp())
        .isFalse();
    // More than 2 s unread, but less than at the start: it was catching up.
    assertThat(new ZipkinServerPeer.LiveStep(30_000, 12, 30_000, 31_000, 90_000, 70_000, 1.5, 0.3).keptUp())
        .isTrue();
    assertThat(new ZipkinServerPeer.LiveStep(30_000, 12, 30_000, 30_000, 0, 0, 1.5, 0.3).cpuMicrosPerSpan())
        .isEqualTo(50.0);
  }

  @Test
  void summaryLineTakesZipkinsHighestLiveStepThatKeptUpOverItsBacklogRate() {
    KafkaCeiling.Result ceiling = new KafkaCeiling.Result(300, 1_000_000, 2.0, 1.0);
    ZipkinServerPeer.Result zipkin = new ZipkinServerPeer.Result(600_000, 10.0, 18.0, 25.0, 2_000_000,
        "consumed the whole backlog").withLive(List.of(
            new ZipkinServerPeer.LiveStep(30_000, 12, 30_000, 29_900, 100, 200, 1.5, 0.3),
            new ZipkinServerPeer.LiveStep(37_500, 12, 37_000, 30_000, 100, 84_000, 2.0, 0.3),
            new ZipkinServerPeer.LiveStep(37_500, 12, 37_000, 30_500, 100, 78_000, 2.0, 0.3),
            new ZipkinServerPeer.LiveStep(33_541, 12, 33_500, 33_000, 100, 6_000, 1.8, 0.3)));
    PeerSection section = new PeerSection(ceiling, List.of(), zipkin);
    assertThat(section.summary()).endsWith("Zipkin server: 33000 spans/s");
    StringBuilder md = new StringBuilder();
    section.render(md);
    assertThat(md.toString()).contains("| Zipkin server, in-memory, live: highest step that kept up | 33,000 |")
        .contains("| Zipkin server, in-memory, draining the backlog | 60,000 |")
        .contains("| 37,500 | 37,000 | 30,000 | 100 → 84,000 |");
  }
}
