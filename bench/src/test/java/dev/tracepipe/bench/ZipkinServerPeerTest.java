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
}
