package dev.tracepipe.platform;

import dev.tracepipe.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of a stage: built-in defaults, then a properties file, then environment variables, each overriding the
 * one before. {@code TRACEPIPE_BOOTSTRAP_SERVERS} overrides {@code bootstrap.servers}: the prefix is dropped, the rest is
 * lower-cased and underscores become dots (or match a known key with dashes).
 */
public final class TracepipeConfig {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String STATE_DIR = "state.dir";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String PROCESSING_GUARANTEE = "processing.guarantee";
  public static final String APPLICATION_ID_PREFIX = "application.id.prefix";
  public static final String APPLICATION_SERVER = "application.server";
  public static final String TOPIC_PARTITIONS = "topics.partitions";
  /** Unset: min(3, brokers), found when the topics are created. */
  public static final String TOPIC_REPLICATION = "topics.replication.factor";
  public static final String TOPIC_MIN_ISR = "topics.min.insync.replicas";
  /**
   * Keys under this prefix go to Kafka Streams as they are, e.g. {@code streams.num.stream.threads}; a stage's own
   * {@code <stage>.streams.} keys override them for that stage.
   */
  public static final String STREAMS_PREFIX = "streams.";
  static final int FETCH_MIN_BYTES = 64 * 1024;
  static final int FETCH_MAX_WAIT_MS = 50;
  static final int PRODUCER_BATCH_BYTES = 256 * 1024;

  /**
   * How often a stage commits under exactly-once: what it writes is visible downstream (read_committed) only then, and
   * every commit is a transaction for the stage and the broker (platform/RATIONALE.md).
   */
  public enum Commits {
    /** On the way from a span to its trace record (ingest, the aggregator): every 250 ms. */
    TRACE_PATH(250),
    /** Reading assembled traces (graph, percentiles and alerts, trace lookup): every second. */
    AFTER_TRACES(1_000);

    final int intervalMs;

    Commits(int intervalMs) {
      this.intervalMs = intervalMs;
    }
  }

  private final Map<String, String> values;
  /** Consulted by key name on every read, so that any key, dashed or not, can be overridden from the environment. */
  private final Map<String, String> environment;
  /** Set by code (command-line options, tests); they win over everything. */
  private final Map<String, String> overrides;

  private TracepipeConfig(Map<String, String> values, Map<String, String> environment, Map<String, String> overrides) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.environment = Map.copyOf(environment);
    this.overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
  }

  /** The keys every stage reads, with their built-in defaults, for the configuration reference. */
  public static List<Setting> commonSettings() {
    Map<String, String> d = ConfigSources.defaults();
    return List.of(
        common(d, BOOTSTRAP_SERVERS, "Kafka"),
        common(d, SCHEMA_REGISTRY_URL, "Confluent-compatible registry; `basic.auth.user.info`, "
            + "`schema.registry.ssl.truststore.*` and `schema.registry.ssl.keystore.*` as in Confluent's clients"),
        common(d, STATE_DIR, "Kafka Streams state, one folder per stage"),
        common(d, HTTP_HOST, "address of the stages' HTTP API"),
        common(d, HTTP_PORT, "port of the stages' HTTP API"),
        common(d, PROCESSING_GUARANTEE, "Kafka Streams processing guarantee; with `exactly_once_v2` ingest and the"
            + " aggregator commit every 250 ms, the stages reading `traces` every second, unless"
            + " `streams.commit.interval.ms` says otherwise, and their producers batch until the commit"
            + " (`streams.producer.linger.ms`, `streams.producer.batch.size`: 256 KiB)"),
        common(d, APPLICATION_ID_PREFIX, "each stage's application id is the prefix plus its name"),
        common(d, APPLICATION_SERVER, "`host:port` of this instance's HTTP API, for queries across instances"),
        common(d, TOPIC_PARTITIONS, "partitions of topics created at start"),
        common(d, TOPIC_REPLICATION, "replication factor of topics created at start and of every stage's internal"
            + " topics; min(3, brokers) when not set"),
        common(d, TOPIC_MIN_ISR, "`min.insync.replicas` of the same topics; the replication factor - 1 (at least 1)"
            + " when not set"),
        common(d, "security.protocol", "Kafka client security, with `sasl.*` and `ssl.*` as Kafka names them; reaches"
            + " every Kafka client: stages, topic creation, the embedded registry's log, tail and generate"),
        Setting.of(StreamsStage.FAILURE_WINDOW, StreamsStage.DEFAULT_FAILURE_WINDOW,
            "`/health` answers 503 for this long after a stream thread died"),
        common(d, STREAMS_PREFIX + "*", "passed to Kafka Streams in every stage; `<stage>.streams.*` for one stage"),
        BoundedRocksDbConfig.Bounds.TOTAL_SETTING, BoundedRocksDbConfig.Bounds.MEMTABLES_SETTING,
        BoundedRocksDbConfig.Bounds.WRITE_BUFFER_SETTING, BoundedRocksDbConfig.Bounds.BLOB_MIN_SETTING);
  }

  private static Setting common(Map<String, String> defaults, String key, String doc) {
    return new Setting(key, defaults.getOrDefault(key, ""), doc, null);
  }

  /** Defaults, then the file when given, then the environment. */
  public static TracepipeConfig load(Path file, Map<String, String> environment) {
    Map<String, String> merged = new HashMap<>(ConfigSources.defaults());
    if (file != null) {
      merged.putAll(ConfigSources.file(file));
    }
    merged.putAll(ConfigSources.environment(environment, merged));
    return new TracepipeConfig(merged, ConfigSources.tracepipeVariables(environment), Map.of());
  }

  /** Defaults overridden by the given values, for tests and embedded use. */
  public static TracepipeConfig of(Map<String, String> overrides) {
    return new TracepipeConfig(ConfigSources.defaults(), Map.of(), overrides);
  }

  /** A copy with some values replaced. */
  public TracepipeConfig with(Map<String, String> more) {
    Map<String, String> merged = new HashMap<>(overrides);
    merged.putAll(more);
    return new TracepipeConfig(values, environment, merged);
  }

  /** Every value with its overrides applied. */
  public Map<String, String> asMap() {
    Map<String, String> all = new TreeMap<>(values);
    all.putAll(overrides);
    return Collections.unmodifiableMap(all);
  }

  public Optional<String> find(String key) {
    String value = overrides.get(key);
    if (value == null) {
      value = environment.get(ConfigSources.envName(key));
    }
    if (value == null) {
      value = values.get(key);
    }
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }

  public String string(String key) {
    return find(key).orElseThrow(() -> new IllegalArgumentException("missing configuration: " + key));
  }

  public String string(String key, String fallback) {
    return find(key).orElse(fallback);
  }

  public int integer(String key, int fallback) {
    return find(key).map(v -> parse(key, v, Integer::parseInt)).orElse(fallback);
  }

  public long longValue(String key, long fallback) {
    return find(key).map(v -> parse(key, v, Long::parseLong)).orElse(fallback);
  }

  public double doubleValue(String key, double fallback) {
    return find(key).map(v -> parse(key, v, Double::parseDouble)).orElse(fallback);
  }

  public boolean bool(String key, boolean fallback) {
    return find(key).map(Boolean::parseBoolean).orElse(fallback);
  }

  public Duration duration(String key, Duration fallback) {
    return find(key).map(v -> parse(key, v, Durations::parse)).orElse(fallback);
  }

  /** Every key under a prefix, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new TreeMap<>();
    asMap().forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        result.put(k.substring(prefix.length()), v);
      }
    });
    return result;
  }

  /** What serdes need: the registry URL and its authentication and TLS settings. */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> serde = new HashMap<>();
    asMap().forEach((k, v) -> {
      if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.equals("auto.register.schemas")) {
        serde.put(k, v);
      }
    });
    return serde;
  }

  /**
   * What every Kafka client the project creates connects with: {@code bootstrap.servers} and the security settings as
   * Kafka names them ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), so one set reaches stages, topic
   * creation, the registry's log and the command-line tools alike.
   */
  public Map<String, Object> kafkaClientProperties() {
    Map<String, Object> client = new HashMap<>();
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, string(BOOTSTRAP_SERVERS));
    asMap().forEach((k, v) -> {
      if (isKafkaSecurityKey(k)) {
        client.put(k, find(k).orElse(v));
      }
    });
    return client;
  }

  static boolean isKafkaSecurityKey(String key) {
    return key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("sasl.")
        || key.startsWith("ssl.");
  }

  /** Kafka Streams properties for a stage on the way from spans to traces; see {@link Commits#TRACE_PATH}. */
  public Properties streamsProperties(String stage) {
    return streamsProperties(stage, Commits.TRACE_PATH);
  }

  /** Kafka Streams properties for one stage: exactly-once by default, state under the stage's own directory. */
  public Properties streamsProperties(String stage, Commits commits) {
    Objects.requireNonNull(stage, "stage == null");
    Objects.requireNonNull(commits, "commits == null");
    Properties props = new Properties();
    String applicationId = string(APPLICATION_ID_PREFIX, "tracepipe-") + stage;
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.putAll(kafkaClientProperties());
    String guarantee = string(PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
      // A transaction every 250 ms (on the trace path) or every second (after it) instead of Kafka Streams' 100 ms:
      // fewer transactions, markers and offset commits for the broker and every stage, for a little more time before
      // downstream reads what a stage wrote (RATIONALE.md). At-least-once keeps Kafka Streams' own interval.
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commits.intervalMs);
      // Nothing a stage writes is readable before its commit, which sends every open batch: a producer that waits as
      // long as the commit interval and fills batches of 256 KiB (Kafka's 16 KiB and Streams' 100 ms) makes fewer,
      // larger batches, each compressed and checked once, for no later reader (RATIONALE.md).
      props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), commits.intervalMs);
      props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
    }
    props.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(string(STATE_DIR)).resolve(stage).toString());
    int replication = integer(TOPIC_REPLICATION, -1);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication);
    if (replication > 0) {
      props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
          String.valueOf(minInSyncReplicas(replication)));
    }
    // A record the stage cannot read or process becomes a dead letter; the stage goes on.
    props.put(DeadLetterHandler.STAGE_CONFIG, stage);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.SPANS_DLQ.name());
    // One RocksDB memory budget for the whole process, whichever stages it runs.
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
    props.putAll(BoundedRocksDbConfig.Bounds.from(this).asConfig());
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    // A stage's consumer asks for a batch worth the request (64 KiB, or whatever came within 50 ms) instead of one
    // request per record or two as they trickle in: fewer requests for the broker and the stages to serve, for at
    // most 50 ms more per stage when traffic is thin (RATIONALE.md).
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), FETCH_MIN_BYTES);
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), FETCH_MAX_WAIT_MS);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    find(APPLICATION_SERVER).ifPresent(server -> props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server));
    props.putAll(serdeConfig());
    props.putAll(withPrefix(STREAMS_PREFIX));
    props.putAll(withPrefix(stage + "." + STREAMS_PREFIX));
    return props;
  }

  /**
   * The {@code min.insync.replicas} that goes with a replication factor unless {@value #TOPIC_MIN_ISR} is set: one
   * replica may be down without stopping writes, and an acknowledged write is on two brokers once there are three.
   */
  public int minInSyncReplicas(int replication) {
    return integer(TOPIC_MIN_ISR, Math.max(1, replication - 1));
  }

  /** The variable that overrides a key: {@code TRACEPIPE_} and the key in upper case, dots and dashes as underscores. */
  public static String envName(String key) {
    return ConfigSources.envName(key);
  }

  static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("configuration " + key + "=" + value + " is not valid: " + e.getMessage(), e);
    }
  }
}
