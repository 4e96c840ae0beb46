package dev.tracepipe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracepipeConfigTest {

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tracepipe.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nhttp.port=9000\naggregator.inactivity-gap=10s\n");

    TracepipeConfig config = TracepipeConfig.load(file, Map.of(
        "TRACEPIPE_BOOTSTRAP_SERVERS", "env:9092",
        "TRACEPIPE_AGGREGATOR_INACTIVITY_GAP", "5s",
        "PATH", "/bin"));

    assertThat(config.string(TracepipeConfig.BOOTSTRAP_SERVERS)).isEqualTo("env:9092");
    assertThat(config.integer(TracepipeConfig.HTTP_PORT, 0)).isEqualTo(9000);
    assertThat(config.duration("aggregator.inactivity-gap", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.string(TracepipeConfig.SCHEMA_REGISTRY_URL)).isEqualTo("http://localhost:8081");
  }

  @Test
  void anyKeyAskedForCanComeFromTheEnvironmentAndCodeOverridesWin() {
    TracepipeConfig config = TracepipeConfig.load(null, Map.of(
        "TRACEPIPE_INGEST_MAX_ATTRIBUTES", "64",
        "TRACEPIPE_HTTP_PORT", "9999"));

    assertThat(config.integer("ingest.max-attributes", 128)).isEqualTo(64);
    assertThat(config.integer(TracepipeConfig.HTTP_PORT, 0)).isEqualTo(9999);
    assertThat(config.with(Map.of(TracepipeConfig.HTTP_PORT, "1")).integer(TracepipeConfig.HTTP_PORT, 0)).isEqualTo(1);
  }

  @Test
  void streamsPropertiesAreExactlyOnceWithPerStageOverrides() {
    TracepipeConfig config = TracepipeConfig.of(Map.of(
        "streams.num.stream.threads", "2",
        "aggregator.streams.num.stream.threads", "3",
        "state.dir", "/tmp/tp"));

    Properties aggregator = config.streamsProperties("aggregator");
    Properties ingest = config.streamsProperties("ingest");

    assertThat(aggregator.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(aggregator.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("tracepipe-aggregator");
    assertThat(aggregator.get("num.stream.threads")).isEqualTo("3");
    assertThat(ingest.get("num.stream.threads")).isEqualTo("2");
    assertThat(ingest.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(Path.of("/tmp/tp/ingest").toString());
    assertThat(ingest.get("schema.registry.url")).isEqualTo("http://localhost:8081");
  }

  @Test
  void consumersFetchBatchesUnlessTold() {
    Properties defaults = TracepipeConfig.of(Map.of()).streamsProperties("aggregator");
    assertThat(defaults.get("main.consumer.fetch.min.bytes")).isEqualTo(65_536);
    assertThat(defaults.get("main.consumer.fetch.max.wait.ms")).isEqualTo(50);

    Properties told = TracepipeConfig.load(null, Map.of("TRACEPIPE_STREAMS_MAIN_CONSUMER_FETCH_MAX_WAIT_MS", "5"))
        .streamsProperties("aggregator");
    assertThat(told.get("main.consumer.fetch.max.wait.ms")).isEqualTo("5");
  }

  @Test
  void exactlyOnceCommitsEveryQuarterSecondOnTheTracePathAndEverySecondAfterItUnlessTold() {
    assertThat(TracepipeConfig.of(Map.of()).streamsProperties("ingest").get("commit.interval.ms")).isEqualTo(250);
    assertThat(TracepipeConfig.of(Map.of()).streamsProperties("trace-store", TracepipeConfig.Commits.AFTER_TRACES)
        .get("commit.interval.ms")).isEqualTo(1_000);
    assertThat(TracepipeConfig.of(Map.of(TracepipeConfig.PROCESSING_GUARANTEE, "at_least_once"))
        .streamsProperties("ingest")).doesNotContainKey("commit.interval.ms");
    assertThat(TracepipeConfig.of(Map.of(TracepipeConfig.PROCESSING_GUARANTEE, "at_least_once"))
        .streamsProperties("trace-store", TracepipeConfig.Commits.AFTER_TRACES)).doesNotContainKey("commit.interval.ms");
    TracepipeConfig told = TracepipeConfig.load(null, Map.of("TRACEPIPE_STREAMS_COMMIT_INTERVAL_MS", "100"));
    assertThat(told.streamsProperties("ingest").get("commit.interval.ms")).isEqualTo("100");
    assertThat(told.streamsProperties("latency-alerts", TracepipeConfig.Commits.AFTER_TRACES)
        .get("commit.interval.ms")).isEqualTo("100");
  }

  @Test
  void exactlyOnceProducersBatchUntilTheCommitUnlessTold() {
    Properties ingest = TracepipeConfig.of(Map.of()).streamsProperties("ingest");
    assertThat(ingest.get("producer.linger.ms")).isEqualTo(250);
    assertThat(ingest.get("producer.batch.size")).isEqualTo(262_144);
    assertThat(TracepipeConfig.of(Map.of()).streamsProperties("trace-store", TracepipeConfig.Commits.AFTER_TRACES)
        .get("producer.linger.ms")).isEqualTo(1_000);
    // At-least-once commits every 30 s: waiting that long would hold every record back.
    assertThat(TracepipeConfig.of(Map.of(TracepipeConfig.PROCESSING_GUARANTEE, "at_least_once"))
        .streamsProperties("ingest")).doesNotContainKeys("producer.linger.ms", "producer.batch.size");
    TracepipeConfig told = TracepipeConfig.load(null, Map.of("TRACEPIPE_STREAMS_PRODUCER_LINGER_MS", "5"));
    assertThat(told.streamsProperties("ingest").get("producer.linger.ms")).isEqualTo("5");
  }

  @Test
  void parsesHumanDurationsAndNamesTheBadKey() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
    TracepipeConfig config = TracepipeConfig.of(Map.of("gap", "soon"));
    assertThatThrownBy(() -> config.duration("gap", Duration.ZERO)).hasMessageContaining("gap=soon");
  }

  @Test
  void kafkaSecuritySettingsFromTheEnvironmentReachEveryClientAndTheStreams() {
    TracepipeConfig config = TracepipeConfig.load(null, Map.of(
        "TRACEPIPE_BOOTSTRAP_SERVERS", "kafka:9093",
        "TRACEPIPE_SECURITY_PROTOCOL", "SASL_SSL",
        "TRACEPIPE_SASL_MECHANISM", "SCRAM-SHA-512",
        "TRACEPIPE_SASL_JAAS_CONFIG", "ScramLoginModule required;",
        "TRACEPIPE_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12"));

    Map<String, Object> client = config.kafkaClientProperties();
    Properties streams = config.streamsProperties("ingest");

    assertThat(client).containsOnly(Map.entry("bootstrap.servers", "kafka:9093"),
        Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
        Map.entry("sasl.jaas.config", "ScramLoginModule required;"),
        Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
    client.forEach((k, v) -> assertThat(streams.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void everyStageDeadLettersBadRecordsAndSharesOneRocksDbBudget() {
    Properties props = TracepipeConfig.of(Map.of("rocksdb.total.bytes", "100000000", "topics.replication.factor", "3"))
        .streamsProperties("latency-alerts");

    assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterHandler.class);
    assertThat(props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetterHandler.class);
    assertThat(props.get(DeadLetterHandler.STAGE_CONFIG)).isEqualTo("latency-alerts");
    assertThat(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbConfig.class);
    assertThat(props.get("tracepipe.rocksdb.total.bytes")).isEqualTo("100000000");
    assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
    assertThat(props.get("topic.min.insync.replicas")).isEqualTo("2");
  }
}
