package dev.tracepipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench's pure parts: scraping, percentiles, the ramp and its options. */
class BenchPartsTest {

  @Test
  void aRunInATemporaryDirectoryKeepsItsLogsAndRecordingAndDropsItsData(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bench.log"), "log");
    Files.write(dir.resolve("stages.jfr"), new byte[100]);
    Path segment = Files.createDirectories(dir.resolve("broker/spans-0")).resolve("00000000000000000000.log");
    Files.write(segment, new byte[3 << 20]);
    Files.write(Files.createDirectories(dir.resolve("stages/aggregator/0_1/rocksdb")).resolve("000012.sst"),
        new byte[1 << 20]);

    String said = Bench.removeData(dir);

    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bench.log", "stages.jfr");
    }
    assertThat(said).contains("removed 4 MiB").contains(dir.toString());
  }

  @Test
  void sumsEverySeriesOfAMetricAndNoOtherMetricSharingItsPrefix() {
    StageMetrics.Scrape scrape = new StageMetrics.Scrape("""
        # HELP tracepipe_ingest_spans_accepted_total spans
        tracepipe_ingest_spans_accepted_total{format="otlp_proto"} 1500.0
        tracepipe_ingest_spans_accepted_total{format="zipkin_json"} 25.0
        tracepipe_ingest_spans_accepted_total_other 99.0
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 100.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 7.0
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 50.0
        """);

    assertThat(scrape.sum("tracepipe_ingest_spans_accepted_total")).isEqualTo(1525.0);
    assertThat(scrape.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(150.0);
    assertThat(scrape.sum("tracepipe_aggregator_open_traces")).isZero();
  }

  @Test
  void streamThreadTimeIsAveragedOverEachStagesThreadsAndSkipsThreadsWithoutAMeasure() {
    StageMetrics.Scrape scrape = new StageMetrics.Scrape("""
        kafka_stream_thread_process_ratio{kafka_version="4.3.1",thread_id="tracepipe-aggregator-7f-StreamThread-1"} 0.3
        kafka_stream_thread_process_ratio{kafka_version="4.3.1",thread_id="tracepipe-aggregator-7f-StreamThread-2"} 0.5
        kafka_stream_thread_process_ratio{kafka_version="4.3.1",thread_id="tracepipe-trace-store-1a-StreamThread-1"} 0.8
        kafka_stream_thread_process_ratio{kafka_version="4.3.1",thread_id="tracepipe-ingest-2b-StreamThread-1"} NaN
        kafka_stream_thread_commit_ratio{kafka_version="4.3.1",thread_id="tracepipe-aggregator-7f-StreamThread-1"} 0.2
        kafka_stream_thread_commit_ratio{kafka_version="4.3.1",thread_id="tracepipe-aggregator-7f-StreamThread-2"} 0.1
        kafka_stream_thread_poll_ratio{kafka_version="4.3.1",thread_id="tracepipe-trace-store-1a-StreamThread-1"} 0.15
        kafka_stream_thread_poll_ratio_other{thread_id="tracepipe-trace-store-1a-StreamThread-1"} 9.0
        """);

    var byStage = PipelinePhase.ThreadTime.of(scrape);

    assertThat(byStage).containsOnlyKeys("aggregator", "trace-store");
    assertThat(byStage.get("aggregator").process()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(byStage.get("aggregator").commit()).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(byStage.get("trace-store")).isEqualTo(new PipelinePhase.ThreadTime(0.8, 0, 0, 0.15));
  }

  @Test
  void percentilesAreValuesAtTheirRank() {
    List<Long> millis = new java.util.ArrayList<>();
    for (long i = 100; i >= 1; i--) {
      millis.add(i * 1_000_000);
    }

    PipelinePhase.Latency latency = PipelinePhase.Latency.of(millis, Long::longValue);

    assertThat(latency.count()).isEqualTo(100);
    assertThat(latency.p50()).isEqualTo(50.0);
    assertThat(latency.p90()).isEqualTo(90.0);
    assertThat(latency.p99()).isEqualTo(99.0);
    assertThat(latency.max()).isEqualTo(100.0);
    assertThat(PipelinePhase.Latency.of(List.<Long>of(), Long::longValue).p99()).isNaN();
  }

  @Test
  void rampGrowsByItsFactorAndEndsAtTheRate() {
    assertThat(parse("--ramp-from", "3000", "--rate", "12000", "--ramp-factor", "1.5").rampRates())
        .containsExactly(3000.0, 4500.0, 6750.0, 10125.0, 12000.0);
    assertThat(parse("--ramp-from", "3000", "--rate", "6000").rampRates())
        .containsExactly(3000.0, 3750.0, 4687.0, 5859.0, 6000.0);
    assertThat(parse("--ramp-from", "9000", "--rate", "5000").rampRates()).containsExactly(5000.0);
  }

  @Test
  void refinedStepsHalveTheIntervalBetweenTheHighestRateThatKeptUpAndTheLowestThatDidNot() {
    BenchOptions options = parse();
    assertThat(options.refine()).isEqualTo(2);
    // The ramp kept up to 22,351 and fell behind at 27,939: halfway is their geometric mean.
    assertThat(options.refinedRate(List.of(17_881.0, 22_351.0), List.of(27_939.0), 0)).hasValue(24_989.0);
    // That one fell behind too: the next is between 22,351 and it.
    assertThat(options.refinedRate(List.of(17_881.0, 22_351.0), List.of(27_939.0, 24_989.0), 1)).hasValue(23_633.0);
    // ... or kept up: between it and 27,939.
    assertThat(options.refinedRate(List.of(22_351.0, 24_989.0), List.of(27_939.0), 1)).hasValue(26_422.0);
    assertThat(options.refinedRate(List.of(22_351.0), List.of(27_939.0, 24_989.0, 23_633.0), 2)).isEmpty();
    assertThat(options.refinedRate(List.of(), List.of(3_000.0), 0)).isEmpty();
    assertThat(options.refinedRate(List.of(50_000.0), List.of(), 0)).isEmpty();
    assertThat(options.refinedRate(List.of(10_000.0), List.of(10_100.0), 0)).isEmpty();
    assertThat(parse("--refine", "0").refinedRate(List.of(22_351.0), List.of(27_939.0), 0)).isEmpty();
  }

  @Test
  void optionsHaveTheDocumentedDefaultsAndReadDurationsAsWritten() {
    BenchOptions defaults = parse();
    assertThat(defaults.rate()).isEqualTo(50_000.0);
    assertThat(defaults.stepWarmup()).hasSeconds(8);
    assertThat(defaults.fault()).hasToString("slow-host:payment");
    assertThat(parse("--gap", "250ms").gap()).hasMillis(250);
    assertThatThrownBy(() -> parse("--gap", "soon")).isInstanceOf(CommandLine.ParameterException.class);
  }

  private static BenchOptions parse(String... args) {
    CommandLine commandLine = BenchCommand.commandLine(new Launcher("unused", "unused"));
    commandLine.parseArgs(args);
    return ((BenchCommand) commandLine.getCommand()).options();
  }

  @Test
  void theSizeRatioTakesTheIdleRateOffAndIsNotMeasuredWhenARoundIsWithinIt() {
    List<AggregatorCost.Round> raw = List.of(new AggregatorCost.Round(10, 100_000, 3.0, 1, 10),
        new AggregatorCost.Round(1_000, 100_000, 2.5, 1, 10), new AggregatorCost.Round(10, 100_000, 3.2, 1, 12),
        new AggregatorCost.Round(1_000, 100_000, 2.4, 1, 8));
    List<AggregatorCost.Round> rounds = AggregatorCost.withoutIdle(raw, 0.1);
    assertThat(rounds.get(0).cpuSeconds()).isCloseTo(2.0, within(1e-9));
    assertThat(rounds.get(2).cpuSeconds()).isCloseTo(2.0, within(1e-9));
    // (1.5 + 1.6) / (2.0 + 2.0) per span
    assertThat(AggregatorCost.sizeRatio(rounds)).hasValueCloseTo(0.775, within(1e-9));
    // An idle rate taken while the process was still busy: the large rounds come out at nothing or less.
    assertThat(AggregatorCost.sizeRatio(AggregatorCost.withoutIdle(raw, 0.3))).isEmpty();
  }
}
