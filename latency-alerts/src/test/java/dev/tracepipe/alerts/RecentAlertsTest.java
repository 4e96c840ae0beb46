package dev.tracepipe.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.AlertRule;
import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.AlertStatus;
import dev.tracepipe.avro.LatencyAlert;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page's list of recent alerts: newest first, within its cap, one entry per host or release condition. */
class RecentAlertsTest {

  private static LatencyAlert alert(String traceId, String alertId, AlertStatus status) {
    return LatencyAlert.newBuilder().setTraceId(traceId).setTraceVersion(1).setRootService("web")
        .setRootOperation("GET /").setStartTimeNanos(0).setDurationNanos(1).setSpanCount(1).setErrorCount(0)
        .setServices(List.of("web")).setRule(new AlertRule(AlertRuleType.SLO, "slow", 0L)).setBaseline(null)
        .setCriticalPath(List.of()).setBlame(List.of()).setStructuralDiff(List.of()).setSuppressedCount(0)
        .setAlertId(alertId).setStatus(status).build();
  }

  @Test
  void keepsTheNewestWithinItsCapAndCountsWhatItForgets() {
    RecentAlerts recent = new RecentAlerts(2);
    assertThat(recent.add(1, alert("t1", "", AlertStatus.FIRING))).isZero();
    assertThat(recent.add(2, alert("t2", "", AlertStatus.FIRING))).isZero();
    assertThat(recent.add(3, alert("t3", "", AlertStatus.FIRING))).isOne();
    assertThat(recent.newest(10)).extracting(e -> e.alert().getTraceId()).containsExactly("t3", "t2");
    assertThat(recent.newest(1)).extracting(RecentAlerts.Entry::writtenMillis).containsExactly(3L);
    assertThat(recent.forgotten()).isOne();
  }

  @Test
  void aConditionResentOrResolvedReplacesItsEarlierRecord() {
    RecentAlerts recent = new RecentAlerts(5);
    recent.add(1, alert("", "host-a", AlertStatus.FIRING));
    recent.add(2, alert("t1", "", AlertStatus.FIRING));
    recent.add(3, alert("", "host-a", AlertStatus.FIRING));
    recent.add(4, alert("", "host-a", AlertStatus.RESOLVED));
    assertThat(recent.newest(10)).extracting(e -> e.alert().getAlertId() + "@" + e.writtenMillis())
        .containsExactly("host-a@4", "@2");
    assertThat(recent.newest(10).get(0).alert().getStatus()).isEqualTo(AlertStatus.RESOLVED);
  }
}
