package dev.tracepipe.alerts.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.alerts.outliers.SelfTime;
import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.PeerMeasure;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.platform.sketch.LatencySketch;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.SimulatedSystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Peer comparison on the simulated shop's traffic, window by window, without Kafka: what the stage would judge. */
class WorkloadPeersTest {

  private static final long WINDOW_MS = 10_000;
  private static final int TRACES_PER_WINDOW = 1_500;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void healthyTrafficRaisesNothing(long seed) {
    assertThat(findings(new SimulatedSystem(seed), 8)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void slowHostIsTheOnlyHostOutlierInEveryWindow(long seed) {
    SimulatedSystem system = new SimulatedSystem(seed);
    system.faults().activate(Fault.parse("slow-host:payment"));
    String slow = system.slowHostOf("payment");
    List<List<Finding>> perWindow = perWindow(system, 6);
    for (List<Finding> findings : perWindow) {
      assertThat(findings).extracting(Finding::rule).containsOnly(AlertRuleType.HOST_OUTLIER);
      assertThat(findings).extracting(Finding::value).containsOnly(slow);
      assertThat(findings).anySatisfy(f -> {
        assertThat(f.measure()).isEqualTo(PeerMeasure.LATENCY);
        assertThat(f.ratio()).isGreaterThan(3);
      });
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2})
  void slowReleaseIsARegressionNamingBothVersions(long seed) {
    SimulatedSystem system = new SimulatedSystem(seed);
    system.faults().activate(Fault.parse("slow-release:cart"));
    List<Finding> findings = findings(system, 4);
    assertThat(findings).isNotEmpty();
    assertThat(findings).extracting(Finding::rule).containsOnly(AlertRuleType.RELEASE_REGRESSION);
    assertThat(findings).allSatisfy(f -> {
      assertThat(f.alertId()).contains("|cart|");
      assertThat(f.peerValues()).hasSize(1).doesNotContain(f.value());
    });
  }

  private static List<Finding> findings(SimulatedSystem system, int windows) {
    return perWindow(system, windows).stream().flatMap(List::stream).toList();
  }

  private static List<List<Finding>> perWindow(SimulatedSystem system, int windows) {
    PeerJudge judge = new PeerJudge(PeerSettings.defaults());
    Map<String, ReleaseHistory> histories = new HashMap<>();
    List<List<Finding>> result = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      long start = 1_700_000_000_000L + w * WINDOW_MS;
      Map<String, Map<Map<String, String>, DimensionCell>> cells = new TreeMap<>();
      for (int i = 0; i < TRACES_PER_WINDOW; i++) {
        long at = (start + i * WINDOW_MS / TRACES_PER_WINDOW) * 1_000_000L;
        List<Span> spans = system.nextTrace(at);
        Map<Span, Long> self = SelfTime.of(spans, null);
        for (Span span : spans) {
          Map<String, String> dims = Map.of("host.name", span.getResourceAttributes().get("host.name"),
              "service.version", span.getResourceAttributes().get("service.version"));
          String op = span.getService() + "|" + span.getName() + "|" + span.getKind();
          DimensionCell cell = cells.computeIfAbsent(op, k -> new HashMap<>())
              .computeIfAbsent(dims, d -> new DimensionCell(d, new LatencySketch(), 0, new LatencySketch()));
          cell.sketch().add(span.getDurationNanos());
          cell.selfTime().add(self.get(span));
          if (span.getStatus().getCode() == StatusCode.ERROR) {
            cells.get(op).put(dims, new DimensionCell(dims, cell.sketch(), cell.errors() + 1, cell.selfTime()));
          }
        }
      }
      List<Finding> findings = new ArrayList<>();
      cells.forEach((op, byDims) -> {
        String[] parts = op.split("\\|");
        PeerWindow window = new PeerWindow(parts[0], parts[1], parts[2], start, start + WINDOW_MS,
            List.copyOf(byDims.values()));
        findings.addAll(judge.judge(window, histories.computeIfAbsent(op, k -> new ReleaseHistory())).findings());
      });
      result.add(findings);
    }
    return result;
  }
}
