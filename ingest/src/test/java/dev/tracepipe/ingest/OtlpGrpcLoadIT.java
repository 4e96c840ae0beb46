package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.RetryInfo;
import dev.tracepipe.platform.http.HttpSettings;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OTLP/gRPC receiver under load and at shutdown, with real gRPC clients (grpc-java and the OpenTelemetry SDK's
 * exporter) and a real broker behind a producer whose sends wait at a gate, so that calls stay in flight on purpose.
 */
class OtlpGrpcLoadIT {
  private static ReceiverCluster cluster;

  private final CountDownLatch gate = new CountDownLatch(1);
  private final Semaphore sending = new Semaphore(0);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private KafkaProducer<byte[], byte[]> producer;
  private ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ReceiverCluster(Map.of());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void release() {
    gate.countDown();
    if (channel != null) channel.shutdownNow();
    if (producer != null) producer.close(Duration.ofSeconds(5));
  }

  private OtlpGrpcReceiver receiver(HttpSettings settings) {
    producer = new KafkaProducer<>(cluster.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer()) {
      @Override
      public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        sending.release();
        try {
          if (!gate.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return super.send(record);
      }
    };
    HttpIngestion ingestion = cluster.ingestion(producer, settings.maxBodyBytes(), meters);
    OtlpGrpcReceiver receiver = OtlpGrpcReceiver.start(ingestion, settings, "127.0.0.1", 0);
    channel = RawGrpc.channel(receiver.port());
    return receiver;
  }

  private static byte[] oneSpan(String traceId) {
    return Fixtures.otlpRequest("cart", ReceiverCluster.spanNow(traceId)).toByteArray();
  }

  private CompletableFuture<byte[]> export(byte[] body) {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    CompletableFuture.runAsync(() -> {
      try {
        answer.complete(ClientCalls.blockingUnaryCall(channel, RawGrpc.EXPORT,
            CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), body));
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    });
    return answer;
  }

  @Test
  void aCallBeyondTheWorkersAndTheQueueIsUnavailableWithARetryDelayCountedAndTheSdkRetriesIt() throws Exception {
    HttpSettings settings = HttpSettings.DEFAULTS.withMaxBodyBytes(ReceiverSettings.DEFAULT_MAX_BODY_BYTES)
        .withThreads(1).withQueue(1);
    try (OtlpGrpcReceiver receiver = receiver(settings)) {
      String first = ReceiverCluster.randomHex(16);
      String second = ReceiverCluster.randomHex(16);
      CompletableFuture<byte[]> running = export(oneSpan(first));
      assertThat(sending.tryAcquire(30, TimeUnit.SECONDS)).as("the first call holds the one worker").isTrue();
      CompletableFuture<byte[]> queued = export(oneSpan(second));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.queued() == 1);

      StatusRuntimeException shed = catchThrowableOfType(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(channel, RawGrpc.EXPORT,
              CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), oneSpan(ReceiverCluster.randomHex(16))));
      assertThat(shed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(shed.getStatus().getDescription()).contains("receiver busy");
      RetryInfo retry = StatusProto.fromThrowable(shed).getDetails(0).unpack(RetryInfo.class);
      assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(settings.retryAfter().toSeconds());
      assertThat(receiver.shedCount()).isEqualTo(1);
      assertThat(meters.get(HttpIngestion.REQUESTS).tags("receiver", OtlpGrpcReceiver.RECEIVER, "status", "503")
          .counter().count()).isEqualTo(1.0);

      // The SDK's exporter meets the same full receiver, is told to retry, and delivers once the gate opens.
      OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + receiver.port())
          .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofMillis(200))
              .setMaxBackoff(Duration.ofSeconds(1)).build())
          .build();
      CompletableFuture<String> sdk = CompletableFuture.supplyAsync(() -> SdkExports.exportTwoSpans(exporter, "sdk"));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.shedCount() >= 2);
      gate.countDown();

      assertThat(ExportTraceServiceResponse.parseFrom(running.get(30, TimeUnit.SECONDS)).hasPartialSuccess()).isFalse();
      assertThat(ExportTraceServiceResponse.parseFrom(queued.get(30, TimeUnit.SECONDS)).hasPartialSuccess()).isFalse();
      String sdkTrace = sdk.get(60, TimeUnit.SECONDS);
      assertThat(cluster.awaitCanonical(sdkTrace, 2)).as("the retried export, each span once").hasSize(2);
      assertThat(cluster.awaitCanonical(first, 1)).hasSize(1);
      assertThat(cluster.awaitCanonical(second, 1)).hasSize(1);
    }
  }

  @Test
  void closeRefusesNewCallsAndLetsTheCallInFlightFinish() throws Exception {
    HttpSettings settings = HttpSettings.DEFAULTS.withMaxBodyBytes(ReceiverSettings.DEFAULT_MAX_BODY_BYTES);
    OtlpGrpcReceiver receiver = receiver(settings);
    String traceId = ReceiverCluster.randomHex(16);
    CompletableFuture<byte[]> inFlight = export(oneSpan(traceId));
    assertThat(sending.tryAcquire(30, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(receiver::close, "closer");
    closer.start();
    // A short deadline: a call that slipped in before the shutdown waits at the gate like the first one.
    ManagedChannel late = RawGrpc.channel(receiver.port());
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> RawGrpc.call(late, oneSpan(ReceiverCluster.randomHex(16)),
          Duration.ofSeconds(2)).equals(Status.Code.UNAVAILABLE.name()));
    } finally {
      late.shutdownNow();
    }
    assertThat(closer.isAlive()).as("close waits for the call in flight").isTrue();
    assertThat(inFlight).isNotDone();

    gate.countDown();
    assertThat(ExportTraceServiceResponse.parseFrom(inFlight.get(30, TimeUnit.SECONDS)).hasPartialSuccess())
        .isFalse();
    closer.join(30_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(cluster.awaitCanonical(traceId, 1)).as("the drained call's span was written").hasSize(1);
  }
}
