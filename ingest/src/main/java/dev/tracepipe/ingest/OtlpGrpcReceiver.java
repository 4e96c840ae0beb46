package dev.tracepipe.ingest;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.tracepipe.platform.http.HttpSecurity;
import dev.tracepipe.platform.http.HttpSettings;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC trace receiver ({@code opentelemetry.proto.collector.trace.v1.TraceService/Export}) with the limits,
 * authentication, TLS and answers of the OTLP/HTTP one; retryable failures carry a RetryInfo as the OTLP spec asks.
 */
final class OtlpGrpcReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcReceiver.class);
  static final String RECEIVER = "otlp_grpc";
  private static final String PATH = "/" + TraceServiceGrpc.getExportMethod().getFullMethodName();
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CLIENT = Context.key("tracepipe-client");

  private final Server server;
  private final ThreadPoolExecutor workers;
  private final HttpIngestion ingestion;
  private final HttpSettings settings;
  private final AtomicLong shed = new AtomicLong();

  private OtlpGrpcReceiver(HttpIngestion ingestion, HttpSettings settings, String host, int port) throws IOException {
    this.ingestion = ingestion;
    this.settings = settings;
    AtomicInteger count = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(Math.max(1, settings.queue())), r -> {
          Thread t = new Thread(r, "otlp-grpc-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    // The request stays raw bytes so that an unreadable one goes through the same decoder and dead-letter path as
    // over HTTP, instead of failing inside gRPC's own parser with INTERNAL.
    MethodDescriptor<byte[], ExportTraceServiceResponse> export = TraceServiceGrpc.getExportMethod()
        .toBuilder(new RawBytes(), ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance())).build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(export, ServerCalls.asyncUnaryCall(this::export)).build();
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials(settings))
        // Calls are handed to the bounded worker pool at once; the event loop only copies bytes.
        .directExecutor()
        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, settings.maxBodyBytes()))
        .maxInboundMetadataSize(16 * 1024)
        .maxConnectionIdle(5, TimeUnit.MINUTES)
        .addService(ServerInterceptors.intercept(service, new Authentication(new HttpSecurity(settings))))
        .build()
        .start();
  }

  static OtlpGrpcReceiver start(HttpIngestion ingestion, HttpSettings settings, String host, int port) {
    try {
      OtlpGrpcReceiver receiver = new OtlpGrpcReceiver(ingestion, settings, host, port);
      LOG.info("OTLP/gRPC listening on {}:{} ({})", host, receiver.port(), settings);
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for OTLP/gRPC on " + host + ":" + port, e);
    }
  }

  private static ServerCredentials credentials(HttpSettings settings) {
    if (!settings.tls()) return InsecureServerCredentials.create();
    return TlsServerCredentials.newBuilder().keyManager(new HttpSecurity(settings).keyManagers().getKeyManagers())
        .build();
  }

  int port() {
    return server.getPort();
  }

  long shedCount() {
    return shed.get();
  }

  /** Calls waiting for a worker. */
  int queued() {
    return workers.getQueue().size();
  }

  private void export(byte[] body, StreamObserver<ExportTraceServiceResponse> observer) {
    String client = CLIENT.get();
    try {
      workers.execute(() -> answer(body, client, observer));
    } catch (RejectedExecutionException e) {
      shed.incrementAndGet();
      String message = "receiver busy: all " + settings.threads() + " threads and " + settings.queue()
          + " queue slots taken; retry later";
      ingestion.shed(RECEIVER, message);
      observer.onError(retryable(Status.Code.UNAVAILABLE, message));
    }
  }

  private void answer(byte[] body, String client, StreamObserver<ExportTraceServiceResponse> observer) {
    HttpIngestion.Outcome outcome = ingestion.ingest(RECEIVER, body, PATH, client,
        bytes -> OtlpDecoder.decode(bytes, InputFormat.OTLP_PROTO));
    if (outcome instanceof HttpIngestion.Outcome.Refused refused) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(refused.message()).asRuntimeException());
    } else if (outcome instanceof HttpIngestion.Outcome.Unavailable unavailable) {
      observer.onError(switch (unavailable.status()) {
        case 429 -> retryable(Status.Code.RESOURCE_EXHAUSTED, unavailable.message());
        case 500 -> Status.INTERNAL.withDescription(unavailable.message()).asRuntimeException();
        default -> retryable(Status.Code.UNAVAILABLE, unavailable.message());
      });
    } else {
      SpanIngestor.Result result = ((HttpIngestion.Outcome.Published) outcome).result();
      ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
      if (!result.rejected().isEmpty()) {
        response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
            .setRejectedSpans(result.rejected().size()).setErrorMessage(OtlpHttpReceiver.summary(result)));
      }
      observer.onNext(response.build());
      observer.onCompleted();
    }
  }

  /** A status the OTLP exporters retry, with the delay they should wait first. */
  private RuntimeException retryable(Status.Code code, String message) {
    RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
        .setSeconds(Math.max(1, settings.retryAfter().toSeconds()))).build();
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(code.value())
        .setMessage(message).addDetails(Any.pack(retry)).build());
  }

  /** Stops taking calls, lets those in flight finish within the drain timeout, then stops the workers. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("OTLP/gRPC calls still open after the {} drain; cancelling them", settings.drainTimeout());
        server.shutdownNow();
      }
      workers.shutdown();
      if (!workers.awaitTermination(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
      workers.shutdownNow();
    }
  }

  /** Checks the {@code authorization} metadata as the HTTP servers check the header, and remembers the peer. */
  private static final class Authentication implements ServerInterceptor {
    private final HttpSecurity security;

    Authentication(HttpSecurity security) {
      this.security = security;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      String reason = security.reject(headers.get(AUTHORIZATION));
      if (reason != null) {
        call.close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      Context context = Context.current().withValue(CLIENT,
          String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
      return Contexts.interceptCall(context, call, headers, next);
    }
  }

  /** The request as the bytes on the wire; gRPC has already applied its message size limit and decompressed it. */
  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("cannot read the request: " + e.getMessage()).asRuntimeException();
      }
    }
  }
}
