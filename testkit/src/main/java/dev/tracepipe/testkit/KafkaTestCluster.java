package dev.tracepipe.testkit;

import dev.tracepipe.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/** A real Kafka cluster (KRaft, in-process) for integration tests, with helpers to create topics and move records. */
public final class KafkaTestCluster implements AutoCloseable {
  /** The user a secured cluster knows, with {@link #SASL_PASSWORD}. */
  public static final String SASL_USER = "tracepipe";
  public static final String SASL_PASSWORD = "tracepipe-secret";
  private static final String SECURED_LISTENER = "SECURED";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaClusterTestKit cluster;
  /** What a client needs besides the bootstrap servers: empty for a plain-text cluster. */
  private final Map<String, Object> clientSecurity;

  private KafkaTestCluster(KafkaClusterTestKit cluster, Map<String, Object> clientSecurity) {
    this.cluster = cluster;
    this.clientSecurity = Map.copyOf(clientSecurity);
  }

  /** A single combined broker and controller: what most tests need. */
  public static KafkaTestCluster start() {
    return start(1);
  }

  public static KafkaTestCluster start(int brokers) {
    return start(brokers, null);
  }

  /**
   * One broker whose only client listener is SASL_SSL: TLS with the given certificates and SASL/PLAIN with the user
   * {@link #SASL_USER}. The controller listener stays in plain text.
   */
  public static KafkaTestCluster startSecured(TestCertificates certificates) {
    return start(1, certificates);
  }

  private static KafkaTestCluster start(int brokers, TestCertificates certificates) {
    try {
      TestKitNodes.Builder nodes = new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(brokers)
          .setNumControllerNodes(1)
          .setBootstrapMetadataVersion(MetadataVersion.latestProduction());
      if (certificates != null) {
        // The kit only speaks PLAINTEXT and SASL_PLAINTEXT itself; the listener's protocol is set by name below.
        nodes.setBrokerListenerName(new ListenerName(SECURED_LISTENER))
            .setControllerListenerName(new ListenerName(CONTROLLER_LISTENER));
      }
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .setConfigProp("message.max.bytes", String.valueOf(16 * 1024 * 1024));
      Map<String, Object> clientSecurity = Map.of();
      if (certificates != null) {
        secure(builder, certificates);
        clientSecurity = clientSecurity(certificates, SASL_USER, SASL_PASSWORD);
      }
      KafkaClusterTestKit kit = builder.build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return new KafkaTestCluster(kit, clientSecurity);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test Kafka cluster: " + e.getMessage(), e);
    }
  }

  private static void secure(KafkaClusterTestKit.Builder builder, TestCertificates certificates) {
    String prefix = "listener.name." + SECURED_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    builder.setConfigProp("listener.security.protocol.map",
            SECURED_LISTENER + ":" + SecurityProtocol.SASL_SSL.name + "," + CONTROLLER_LISTENER + ":PLAINTEXT")
        .setConfigProp("sasl.enabled.mechanisms", "PLAIN")
        .setConfigProp("sasl.mechanism.inter.broker.protocol", "PLAIN")
        .setConfigProp(prefix + "plain.sasl.jaas.config", plainLogin(SASL_USER, SASL_PASSWORD)
            .replace(";", " user_" + SASL_USER + "=\"" + SASL_PASSWORD + "\";"))
        .setConfigProp("ssl.keystore.type", "PKCS12")
        .setConfigProp("ssl.keystore.location", certificates.keyStore().toString())
        .setConfigProp("ssl.keystore.password", certificates.password())
        .setConfigProp("ssl.key.password", certificates.password())
        .setConfigProp("ssl.truststore.type", "PKCS12")
        .setConfigProp("ssl.truststore.location", certificates.trustStore().toString())
        .setConfigProp("ssl.truststore.password", certificates.password());
  }

  /** The settings a client of a secured cluster uses, as Kafka names them. */
  public static Map<String, Object> clientSecurity(TestCertificates certificates, String user, String password) {
    return Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", plainLogin(user, password),
        "ssl.truststore.type", "PKCS12",
        "ssl.truststore.location", certificates.trustStore().toString(),
        "ssl.truststore.password", certificates.password());
  }

  private static String plainLogin(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  /** What a client needs besides the bootstrap servers; empty unless the cluster is secured. */
  public Map<String, Object> clientSecurity() {
    return clientSecurity;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public Admin admin() {
    Map<String, Object> props = new HashMap<>(clientSecurity);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(props);
  }

  /** Creates catalogue topics with their declared partitions and configuration (replication 1). */
  public void createTopics(List<TopicSpec<?, ?>> topics) {
    createTopics(topics.stream().map(t -> t.newTopic((short) 1)).toList().toArray(NewTopic[]::new));
  }

  public void createTopics(NewTopic... topics) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(topics)).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
    }
  }

  public <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
    return producer(keys, values, Map.of());
  }

  public <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(clientSecurity);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putAll(extra);
    return new KafkaProducer<>(props, keys, values);
  }

  /** A read_committed consumer in a fresh group, reading from the earliest offset. */
  public <K, V> KafkaConsumer<K, V> consumer(Deserializer<K> keys, Deserializer<V> values) {
    Properties props = new Properties();
    props.putAll(clientSecurity);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + java.util.UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, keys, values);
  }

  /**
   * Reads a topic until {@code expected} records arrived or the timeout passed, then keeps polling briefly so that
   * duplicates beyond the expected count show up in the result instead of being missed.
   */
  public <K, V> List<ConsumerRecord<K, V>> read(String topic, Deserializer<K> keys, Deserializer<V> values,
      int expected, Duration timeout) {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer = consumer(keys, values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the test Kafka cluster: " + e.getMessage(), e);
    }
  }
}
