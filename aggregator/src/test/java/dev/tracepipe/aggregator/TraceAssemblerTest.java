package dev.tracepipe.aggregator;

import static dev.tracepipe.aggregator.TestSpans.TRACE;
import static dev.tracepipe.aggregator.TestSpans.child;
import static dev.tracepipe.aggregator.TestSpans.root;
import static dev.tracepipe.aggregator.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.TraceAssembler.Emission;
import dev.tracepipe.avro.ClockSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceAssemblerTest {

  private static final Emission FIRST = new Emission(1, TraceCompletion.INACTIVITY_GAP, 0, 0);

  private static Trace assemble(Span... spans) {
    return TraceAssembler.assemble(TRACE, List.of(spans), FIRST);
  }

  @Test
  void ordersSpansByStartThenSpanIdAndSummarises() {
    Trace trace = assemble(
        child("0000000000000003", "0000000000000001", "db", 20, 5),
        child("0000000000000002", "0000000000000001", "web", 20, 30),
        root("0000000000000001", "web", 10, 50),
        span("0000000000000004", "0000000000000002", "auth", 25, 2)
            .setStatus(new Status(StatusCode.ERROR, "boom")).build());

    assertThat(trace.getSpans()).extracting(Span::getSpanId)
        .containsExactly("0000000000000001", "0000000000000002", "0000000000000003", "0000000000000004");
    assertThat(trace.getStartTimeNanos()).isEqualTo(10_000_000L);
    assertThat(trace.getEndTimeNanos()).isEqualTo(60_000_000L);
    assertThat(trace.getDurationNanos()).isEqualTo(50_000_000L);
    assertThat(trace.getRootSpanId()).isEqualTo("0000000000000001");
    assertThat(trace.getRootService()).isEqualTo("web");
    assertThat(trace.getRootOperation()).isEqualTo("op-0000000000000001");
    assertThat(trace.getSpanCount()).isEqualTo(4);
    assertThat(trace.getServices()).containsExactly("auth", "db", "web");
    assertThat(trace.getErrorCount()).isEqualTo(1);
    assertThat(trace.getQuality().getRootCount()).isEqualTo(1);
    assertThat(trace.getQuality().getOrphanSpanCount()).isZero();
    assertThat(trace.getQuality().getClockSkew()).isEmpty();
    assertThat(trace.getQuality().getTruncated()).isFalse();
  }

  @Test
  void zipkinErrorTagCountsAsError() {
    Trace trace = assemble(span("0000000000000001", null, "web", 0, 1).setAttributes(Map.of("error", "")).build());

    assertThat(trace.getErrorCount()).isEqualTo(1);
  }

  @Test
  void spanWithMissingParentIsOrphanAndTraceWithoutRootHasNullRoot() {
    Trace trace = assemble(
        child("0000000000000002", "00000000000000ff", "web", 0, 10),
        child("0000000000000003", "0000000000000002", "web", 1, 5));

    assertThat(trace.getQuality().getOrphanSpanCount()).isEqualTo(1);
    assertThat(trace.getQuality().getRootCount()).isZero();
    assertThat(trace.getRootSpanId()).isNull();
    assertThat(trace.getRootService()).isNull();
    assertThat(trace.getRootOperation()).isNull();
  }

  @Test
  void severalRootsAreCountedAndTheEarliestIsTheRoot() {
    Trace trace = assemble(root("0000000000000002", "batch", 5, 10), root("0000000000000009", "web", 1, 10));

    assertThat(trace.getQuality().getRootCount()).isEqualTo(2);
    assertThat(trace.getRootSpanId()).isEqualTo("0000000000000009");
    assertThat(trace.getRootService()).isEqualTo("web");
  }

  @Test
  void sharedRootIdCountsOnceAndItsClientHalfIsTheRoot() {
    Trace trace = assemble(
        span("0000000000000001", null, "backend", 1, 8).setShared(true).setKind(SpanKind.SERVER).build(),
        span("0000000000000001", null, "frontend", 2, 10).setKind(SpanKind.CLIENT).build());

    assertThat(trace.getQuality().getRootCount()).isEqualTo(1);
    assertThat(trace.getRootService()).isEqualTo("frontend");
    assertThat(trace.getSpanCount()).isEqualTo(2);
  }

  @Test
  void serverHalfStartingBeforeItsClientHalfIsSkewAsInTheZipkinSkewSample() {
    Trace trace = new SpanCollector().addAll(ZipkinJson.sample("skew.json")).assemble(TRACE);

    assertThat(trace.getQuality().getClockSkew()).containsExactly(
        new ClockSkew("74280ae0c10d8062", "74280ae0c10d8062", -65_441_000L));
    assertThat(trace.getSpans()).extracting(Span::getStartTimeNanos)
        .as("times are flagged, never shifted")
        .contains(1470150004008761_000L);
  }

  @Test
  void childOutsideParentInTheSameServiceAndHostIsAsyncWorkNotSkew() {
    Trace trace = assemble(root("0000000000000001", "web", 10, 10), child("0000000000000002", "0000000000000001",
        "web", 5, 100));

    assertThat(trace.getQuality().getClockSkew()).isEmpty();
  }

  @Test
  void childOutsideParentOnAnotherHostOfTheSameServiceIsSkewAtBothEnds() {
    Trace trace = assemble(
        span("0000000000000001", null, "web", 10, 10).setResourceAttributes(Map.of("host.name", "a")).build(),
        span("0000000000000002", "0000000000000001", "web", 8, 15)
            .setResourceAttributes(Map.of("host.name", "b")).build());

    assertThat(trace.getQuality().getClockSkew()).containsExactly(
        new ClockSkew("0000000000000002", "0000000000000001", -2_000_000L),
        new ClockSkew("0000000000000002", "0000000000000001", 3_000_000L));
  }

  @Test
  void consumerOutlivingItsProducerIsNotSkewButStartingBeforeItIs() {
    Trace outlives = assemble(
        span("0000000000000001", null, "orders", 10, 1).setKind(SpanKind.PRODUCER).build(),
        span("0000000000000002", "0000000000000001", "billing", 50, 100).setKind(SpanKind.CONSUMER).build());
    Trace early = assemble(
        span("0000000000000001", null, "orders", 10, 1).setKind(SpanKind.PRODUCER).build(),
        span("0000000000000002", "0000000000000001", "billing", 4, 100).setKind(SpanKind.CONSUMER).build());

    assertThat(outlives.getQuality().getClockSkew()).isEmpty();
    assertThat(early.getQuality().getClockSkew()).containsExactly(
        new ClockSkew("0000000000000002", "0000000000000001", -6_000_000L));
  }

  @Test
  void parentWithoutDurationHasNoKnownEndSoOnlyStartSkewCounts() {
    Trace trace = assemble(root("0000000000000001", "web", 10, 0), child("0000000000000002", "0000000000000001",
        "db", 11, 5));

    assertThat(trace.getQuality().getClockSkew()).isEmpty();
  }

  @Test
  void childOfSharedIdIsComparedWithTheServerHalf() {
    Trace trace = assemble(
        span("0000000000000002", "0000000000000001", "web", 0, 100).setKind(SpanKind.CLIENT).build(),
        span("0000000000000002", "0000000000000001", "api", 10, 50).setKind(SpanKind.SERVER).setShared(true).build(),
        child("0000000000000003", "0000000000000002", "api", 12, 60));

    assertThat(trace.getQuality().getClockSkew()).as("same process as the server half").isEmpty();
    assertThat(trace.getQuality().getOrphanSpanCount()).as("only the client half: the server half hangs off it").isEqualTo(1);
  }

  @Test
  void emissionCountsAreCarriedAndDroppedSpansMarkTruncation() {
    Trace trace = TraceAssembler.assemble(TRACE, List.of(root("0000000000000001", "web", 0, 1)),
        new Emission(3, TraceCompletion.LATE_UPDATE, 2, 7));

    assertThat(trace.getVersion()).isEqualTo(3);
    assertThat(trace.getCompletion()).isEqualTo(TraceCompletion.LATE_UPDATE);
    assertThat(trace.getQuality().getDuplicateSpanCount()).isEqualTo(2);
    assertThat(trace.getQuality().getDroppedSpanCount()).isEqualTo(7);
    assertThat(trace.getQuality().getTruncated()).isTrue();
  }

  @Test
  void traceWhoseSpansWereAllDroppedIsStillATrace() {
    Trace trace = TraceAssembler.assemble(TRACE, List.of(), new Emission(1, TraceCompletion.INACTIVITY_GAP, 0, 1));

    assertThat(trace.getSpanCount()).isZero();
    assertThat(trace.getDurationNanos()).isZero();
    assertThat(trace.getRootSpanId()).isNull();
    assertThat(trace.getQuality().getTruncated()).isTrue();
  }

  @Test
  void smartthingsSampleMergesItsPiecesAsZipkinDoes_twoServerHostsOfOneSharedIdStayApart() {
    // Five shared halves of 9d2d35b746db84f3: three from pusher on 10.0.0.187, two on 10.0.0.79 (Zipkin keeps two).
    List<Span> spans = ZipkinJson.sample("smartthings-oauth-authorization.json");
    Trace trace = new SpanCollector().addAll(spans).assemble(spans.get(0).getTraceId());

    assertThat(spans).hasSize(175);
    assertThat(trace.getSpanCount()).isEqualTo(172);
    assertThat(trace.getQuality().getDuplicateSpanCount()).isEqualTo(3);
    assertThat(trace.getRootSpanId()).isEqualTo("8ce82b2e9ed820ba");
    assertThat(trace.getRootService()).isEqualTo("datamgmt");
    assertThat(trace.getRootOperation()).isEqualTo("get /oauth/authorize");
    assertThat(trace.getServices())
        .containsExactly("account", "auth", "bouncer", "datamgmt", "dove", "paperboy", "pusher", "stlogin");
    assertThat(trace.getErrorCount()).isEqualTo(2);
    assertThat(trace.getQuality().getOrphanSpanCount()).isZero();
    assertThat(trace.getQuality().getRootCount()).isEqualTo(1);
  }

  @Test
  void messaging2SampleCountsItsSixOrphans() {
    List<Span> spans = ZipkinJson.sample("messaging2.json");
    Trace trace = new SpanCollector().addAll(spans).assemble(spans.get(0).getTraceId());

    assertThat(trace.getQuality().getOrphanSpanCount()).isEqualTo(6);
    assertThat(trace.getRootService()).isEqualTo("mobile-gateway");
  }
}
