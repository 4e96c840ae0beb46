package dev.tracepipe.testkit;

import dev.tracepipe.avro.AlertRule;
import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.BlamedSpan;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import java.util.List;

/** Alerts and traces as the stages write them, for tests of what reads them. */
public final class TestRecords {
  private TestRecords() {}

  public static LatencyAlert alert(String traceId, long startNanos, String blamedService) {
    return LatencyAlert.newBuilder().setTraceId(traceId).setRootService("gateway").setRootOperation("POST /checkout")
        .setStartTimeNanos(startNanos).setDurationNanos(1_920_000_000L).setSpanCount(28)
        .setRule(AlertRule.newBuilder().setType(AlertRuleType.ADAPTIVE_BASELINE)
            .setDescription("root duration above 3 x baseline p99").setThresholdNanos(640_000_000L).build())
        .setBlame(List.of(BlamedSpan.newBuilder().setSpanId("00000000000000a1").setService(blamedService)
            .setOperation("POST /payments").setDurationNanos(1_300_000_000L).setExcessNanos(1_200_000_000L).build()))
        .build();
  }

  /** A first version without spans: readers that only look at the trace's own fields need no more. */
  public static Trace trace(String traceId, long startNanos, long endNanos, int spanCount) {
    return Trace.newBuilder().setTraceId(traceId).setCompletion(TraceCompletion.INACTIVITY_GAP).setSpans(List.of())
        .setStartTimeNanos(startNanos).setEndTimeNanos(endNanos).setDurationNanos(endNanos - startNanos)
        .setRootService("gateway").setRootOperation("GET /cart").setSpanCount(spanCount)
        .setQuality(TraceQuality.newBuilder().build()).build();
  }
}
