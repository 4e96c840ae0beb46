package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.platform.BoundedRocksDbConfig;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AggregatorSettingsTest {

  @Test
  void readsDurationsAndCapsWithLateRetentionDefaultingToTwiceTheGap() {
    AggregatorSettings settings = AggregatorSettings.from(TracepipeConfig.of(Map.of(
        "aggregator.inactivity.gap", "10s", "aggregator.max.spans.per.trace", "500",
        "aggregator.rocksdb.total.bytes", "100000000")));

    assertThat(settings.timing().inactivityGap()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.timing().lateRetention()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.timing().maxDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.limits().maxSpans()).isEqualTo(500);
    assertThat(settings.rocksDb().totalBytes()).isEqualTo(100_000_000);
  }

  @Test
  void defaultsMatchTheBrief() {
    AggregatorSettings settings = AggregatorSettings.defaults();

    assertThat(settings.timing().inactivityGap()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.timing().lateRetention()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.limits().maxSpans()).isEqualTo(10_000);
  }

  @Test
  void capsThatCouldOutgrowTheTracesTopicAreRefused() {
    assertThatThrownBy(() -> AggregatorSettings.from(TracepipeConfig.of(Map.of(
        "aggregator.max.trace.bytes", String.valueOf(Topics.TRACES.maxMessageBytes())))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Topics.TRACES.name());
  }

  @Test
  void streamsOverridesFitTheProducerToTheTopicAndBoundRocksDb() {
    Properties props = TracepipeConfig.of(Map.of()).streamsProperties(AggregatorStage.NAME);
    props.putAll(AggregatorSettings.defaults().streamsOverrides());

    assertThat(props.get("producer.max.request.size")).isEqualTo(Topics.TRACES.maxMessageBytes());
    assertThat(props.get("rocksdb.config.setter")).isEqualTo(BoundedRocksDbConfig.class);
    assertThat(props.get("tracepipe.rocksdb.total.bytes")).isEqualTo(String.valueOf(BoundedRocksDbConfig.Bounds.DEFAULTS.totalBytes()));
    assertThat(props.get("errors.dead.letter.queue.topic.name")).isEqualTo(Topics.SPANS_DLQ.name());
  }

  @Test
  void streamThreadsDefaultToTwoAndTheStagesOwnKeysWinOverTheCommonOne() {
    assertThat(threads(Map.of())).isEqualTo(2);
    assertThat(threads(Map.of("topics.partitions", "1"))).as("no more than the partitions").isEqualTo(1);
    assertThat(threads(Map.of("streams.num.stream.threads", "1"))).isEqualTo(1);
    assertThat(threads(Map.of("streams.num.stream.threads", "1", "aggregator.stream.threads", "3"))).isEqualTo(3);
    assertThat(threads(Map.of("aggregator.stream.threads", "3", "aggregator.streams.num.stream.threads", "4")))
        .isEqualTo(4);
    assertThatThrownBy(() -> threads(Map.of("aggregator.stream.threads", "0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregator.stream.threads");
  }

  private static int threads(Map<String, String> config) {
    return AggregatorSettings.streamThreads(TracepipeConfig.of(config));
  }
}
