package dev.tracepipe.ingest;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The OTLP/gRPC export method over raw bytes, so that a test can send what no generated stub would. */
final class RawGrpc {
  static final MethodDescriptor<byte[], byte[]> EXPORT = TraceServiceGrpc.getExportMethod()
      .toBuilder(new Raw(), new Raw()).build();

  private RawGrpc() {}

  /** A plain-text channel to a receiver on this host. */
  static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .maxInboundMessageSize(1 << 20).build();
  }

  /** Exports a body and waits for the answer: the status code's name. */
  static String call(ManagedChannel channel, byte[] body) {
    return call(channel, body, Duration.ofSeconds(60));
  }

  /** Exports a body and waits at most {@code deadline} for the answer: the status code's name. */
  static String call(ManagedChannel channel, byte[] body, Duration deadline) {
    try {
      ClientCalls.blockingUnaryCall(channel, EXPORT,
          CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), body);
      return Status.Code.OK.name();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  private static final class Raw implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
