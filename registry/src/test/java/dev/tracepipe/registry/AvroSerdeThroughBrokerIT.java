package dev.tracepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.serde.SchemaRegistryException;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our serde through a real broker and the embedded registry: round trip, schema evolution, incompatible change. */
class AvroSerdeThroughBrokerIT {
  private static KafkaTestCluster kafka;
  private static EmbeddedSchemaRegistry registry;
  private static Map<String, Object> serdeConfig;

  @BeforeAll
  static void start() {
    kafka = KafkaTestCluster.start();
    registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0);
    serdeConfig = Map.of("schema.registry.url", registry.url());
  }

  @AfterAll
  static void stop() {
    registry.close();
    kafka.close();
  }

  @Test
  void spansWrittenWithOurSerializerAreReadBackByOurDeserializer() {
    String topic = newTopic();
    List<Span> sent = List.of(span("a"), span("b"), span("c"));
    try (KafkaProducer<String, Span> producer = kafka.producer(new StringSerializer(),
        Topics.SPANS.valueSerde(serdeConfig).serializer())) {
      sent.forEach(s -> producer.send(new ProducerRecord<>(topic, s.getTraceId(), s)));
    }
    List<ConsumerRecord<String, Span>> received = kafka.read(topic, new StringDeserializer(),
        AvroSerde.specific(Span.class).configured(serdeConfig, false).deserializer(), 3, Duration.ofSeconds(30));
    assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
  }

  @Test
  void aRecordWrittenWithAnOlderSchemaVersionIsReadByTheCurrentReader() {
    String topic = newTopic();
    Schema older = SchemaBuilder.record("Span").namespace("dev.tracepipe.avro").fields()
        .requiredString("traceId").requiredString("spanId").requiredString("service").requiredString("name")
        .requiredLong("startTimeNanos").requiredLong("durationNanos").endRecord();
    GenericRecord old = new GenericData.Record(older);
    old.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    old.put("spanId", "00f067aa0ba902b7");
    old.put("service", "legacy-billing");
    old.put("name", "charge");
    old.put("startTimeNanos", 1_700_000_000_000_000_000L);
    old.put("durationNanos", 3_000_000L);
    try (KafkaProducer<String, GenericRecord> producer = kafka.producer(new StringSerializer(),
        AvroSerde.generic().configured(serdeConfig, false).serializer())) {
      producer.send(new ProducerRecord<>(topic, "old", old));
    }
    // The current schema registers as version 2 of the subject: BACKWARD compatible with the old one.
    try (KafkaProducer<String, Span> producer = kafka.producer(new StringSerializer(),
        AvroSerde.specific(Span.class).configured(serdeConfig, false).serializer())) {
      producer.send(new ProducerRecord<>(topic, "new", span("d")));
    }

    List<ConsumerRecord<String, Span>> received = kafka.read(topic, new StringDeserializer(),
        AvroSerde.specific(Span.class).configured(serdeConfig, false).deserializer(), 2, Duration.ofSeconds(30));

    assertThat(received).hasSize(2);
    Span upgraded = received.get(0).value();
    assertThat(upgraded.getService()).isEqualTo("legacy-billing");
    assertThat(upgraded.getKind()).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(upgraded.getAttributes()).isEmpty();
    assertThat(received.get(1).value()).isEqualTo(span("d"));
  }

  @Test
  void anIncompatibleWriterSchemaIsRejectedWith409() {
    String topic = newTopic();
    try (KafkaProducer<String, Span> producer = kafka.producer(new StringSerializer(),
        AvroSerde.specific(Span.class).configured(serdeConfig, false).serializer())) {
      producer.send(new ProducerRecord<>(topic, "ok", span("e")));
    }
    // A required field without a default: data written with the registered Span could not be read with it.
    Schema incompatible = SchemaBuilder.record("Span").namespace("dev.tracepipe.avro").fields()
        .requiredString("traceId").requiredString("tenant").endRecord();
    GenericRecord record = new GenericData.Record(incompatible);
    record.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    record.put("tenant", "acme");
    AvroSerde<GenericRecord> serde = AvroSerde.generic().configured(serdeConfig, false);

    assertThatThrownBy(() -> serde.serialize(topic, record))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  private static String newTopic() {
    String topic = "serde-" + UUID.randomUUID();
    kafka.createTopics(new NewTopic(topic, 1, (short) 1));
    return topic;
  }

  private static Span span(String suffix) {
    return Span.newBuilder()
        .setTraceId("4bf92f3577b34da6a3ce929d0e0e473" + suffix)
        .setSpanId("00f067aa0ba902b" + suffix)
        .setService("checkout")
        .setName("POST /checkout")
        .setKind(SpanKind.SERVER)
        .setStartTimeNanos(1_700_000_000_000_000_000L)
        .setDurationNanos(12_000_000L)
        .setAttributes(Map.of("http.method", "POST"))
        .build();
  }
}
