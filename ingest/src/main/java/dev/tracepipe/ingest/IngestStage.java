package dev.tracepipe.ingest;

import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest stage: the Kafka Streams application over the span topics, and the OTLP/HTTP and Zipkin receivers. */
public final class IngestStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);
  public static final String NAME = "ingest";
  /** Metric name (Micrometer's; Prometheus adds {@code _total}). */
  public static final String SPANS_ACCEPTED_METRIC = "tracepipe.ingest.spans.accepted";
  /** Requests answered 503 because a receiver had no thread or queue slot left, or was draining. */
  public static final String SHED = "tracepipe.ingest.receiver.shed";
  private static final String SHED_DESCRIPTION = "Receiver requests refused with 503/UNAVAILABLE while busy or draining";

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(new IngestStage(), args);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The running stage; the ports are the receivers' actual ones (useful when configured as 0), -1 when disabled. */
  record Running(int otlpPort, int zipkinPort, int grpcPort, List<AutoCloseable> resources) implements AutoCloseable {
    @Override
    public void close() {
      closeAll(resources);
    }
  }

  @Override
  public Running start(StageContext context) {
    IngestSettings settings = IngestSettings.from(context.config());
    IngestMetrics metrics = new IngestMetrics(context.meters());
    List<AutoCloseable> started = new ArrayList<>();
    try {
      IngestTopology topology = new IngestTopology(settings.inputs(), Topics.TRACE_FRAGMENTS.name(),
          Topics.SPANS_DLQ.name(), context.serdeConfig(), settings.limits(), metrics);
      started.add(StreamsStage.start(context, NAME, topology.get(), streamsProperties(context.config())));
      Running running = startReceivers(context, settings, metrics, started);
      LOG.info("ingest reads {} and writes {} / {}; OTLP/HTTP on {}, OTLP/gRPC on {}, Zipkin on {}; limits {}",
          settings.inputs(), Topics.TRACE_FRAGMENTS.name(), Topics.SPANS_DLQ.name(), running.otlpPort(),
          running.grpcPort(), running.zipkinPort(), settings.limits());
      return running;
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  private static Running startReceivers(StageContext context, IngestSettings settings, IngestMetrics metrics,
      List<AutoCloseable> started) {
    ReceiverSettings receivers = ReceiverSettings.from(context.config());
    if (settings.otlpPort() < 0 && settings.zipkinPort() < 0 && receivers.grpcPort() < 0) {
      return new Running(-1, -1, -1, started);
    }
    SpanPublisher publisher = publisher(context.config(), context.serdeConfig(), settings);
    started.add(publisher);
    HttpIngestion ingestion = new HttpIngestion(new SpanIngestor(new SpanValidator(settings.limits()), metrics),
        publisher, receivers.server().maxBodyBytes(), context.meters());
    int otlpPort = -1;
    int zipkinPort = -1;
    int grpcPort = -1;
    if (settings.otlpPort() >= 0) {
      OtlpHttpReceiver otlp = new OtlpHttpReceiver(ingestion, receivers.server().retryAfter());
      HttpApi server = server(context, "otlp-http", settings, receivers, settings.otlpPort())
          .errorBody(OtlpHttpReceiver::errorBody).post(OtlpHttpReceiver.PATH, otlp::handle);
      started.add(server);
      otlpPort = server.port();
    }
    if (settings.zipkinPort() >= 0) {
      ZipkinHttpReceiver zipkin = new ZipkinHttpReceiver(ingestion, receivers.server().retryAfter());
      HttpApi server = server(context, "zipkin-http", settings, receivers, settings.zipkinPort())
          .post(ZipkinHttpReceiver.PATH, zipkin::handle);
      started.add(server);
      zipkinPort = server.port();
    }
    if (receivers.grpcPort() >= 0) {
      OtlpGrpcReceiver grpc = OtlpGrpcReceiver.start(ingestion, receivers.server(), settings.httpHost(),
          receivers.grpcPort());
      started.add(grpc);
      FunctionCounter.builder(SHED, grpc, OtlpGrpcReceiver::shedCount).tag("server", "otlp-grpc")
          .description(SHED_DESCRIPTION).register(context.meters());
      grpcPort = grpc.port();
    }
    return new Running(otlpPort, zipkinPort, grpcPort, started);
  }

  /** Receivers stop first so no request is accepted that could not be written, then the producer, then streams. */
  private static void closeAll(List<AutoCloseable> started) {
    List<AutoCloseable> reversed = new ArrayList<>(started);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.error("error while stopping {}", resource, e);
      }
    }
  }

  /**
   * The platform's properties, with room for whole-message dead letters: the producer's request limit is raised above
   * the 1 MiB default (the broker still enforces each topic's own limit), and a record too large even so is skipped.
   */
  static Properties streamsProperties(TracepipeConfig config) {
    Properties props = new Properties();
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 2 * Topics.SPANS_DLQ.maxMessageBytes());
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OversizedRecordHandler.class.getName());
    props.putAll(config.streamsProperties(NAME));
    return props;
  }

  private static HttpApi server(StageContext context, String name, IngestSettings settings,
      ReceiverSettings receivers, int port) {
    HttpApi server = HttpApi.start(name, settings.httpHost(), port, receivers.server());
    FunctionCounter.builder(SHED, server, HttpApi::shedCount).tag("server", name).description(SHED_DESCRIPTION)
        .register(context.meters());
    return server;
  }

  /**
   * An idempotent producer whose send blocks at most producerMaxBlock when its buffer is full or Kafka is unreachable,
   * so a receiver can answer 429 or 503 quickly; {@code ingest.producer.*} keys override any setting.
   */
  static SpanPublisher publisher(TracepipeConfig config, Map<String, Object> serdeConfig, IngestSettings settings) {
    Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.producerMaxBlock().toMillis());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.SPANS_DLQ.maxMessageBytes());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, config.string(TracepipeConfig.APPLICATION_ID_PREFIX, "tracepipe-")
        + NAME + "-http");
    props.putAll(config.withPrefix(IngestSettings.PRODUCER_PREFIX.key().replace("*", "")));
    AvroSerde<TraceFragment> serde = AvroSerde.specific(TraceFragment.class).configured(serdeConfig, false);
    return new SpanPublisher(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
        Topics.TRACE_FRAGMENTS.name(), Topics.SPANS_DLQ.name(), serde, settings.ackTimeout());
  }
}
