package dev.tracepipe.ingest;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the span receivers (OTLP/HTTP, OTLP/gRPC, Zipkin) serve: the server settings under {@value #HTTP_PREFIX} (falling
 * back to the process-wide {@code http.*} keys, so one TLS and authentication block secures every server) and the
 * OTLP/gRPC port.
 *
 * @param server threads, queue, body limit, timeouts, TLS and credentials shared by all three receivers
 * @param grpcPort the OTLP/gRPC port, 4317 by default; 0 picks a free one, negative disables the receiver
 */
public record ReceiverSettings(HttpSettings server, int grpcPort) {
  /** Keys of {@link HttpSettings} under this prefix apply to the receivers only. */
  public static final String HTTP_PREFIX = "ingest.http.";
  public static final String GRPC_PORT = "ingest.otlp.grpc.port";
  /** TLS for the receivers only, when the stage's own API stays plain (environment {@code TRACEPIPE_INGEST_HTTP_...}). */
  public static final String KEY_STORE = "ingest.http.tls.key-store";
  public static final String KEY_STORE_PASSWORD = "ingest.http.tls.key-store-password";
  /** Tokens for the receivers only, when exporters get other tokens than the query APIs. */
  public static final String AUTH_TOKENS = "ingest.http.auth.tokens";
  public static final int DEFAULT_GRPC_PORT = 4317;
  /** A receiver's bodies are span batches: 4 MiB after decompression, as the OTLP exporters' default batch fits in. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  /** The receivers' keys that {@link IngestSettings} does not declare already, for the configuration reference. */
  public static List<Setting> declared() {
    Set<String> declared = IngestSettings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
    List<Setting> all = new ArrayList<>(List.of(Setting.of(GRPC_PORT, DEFAULT_GRPC_PORT,
        "OTLP/gRPC port; 0 picks a free one, negative disables the receiver")));
    HttpSettings.declared(HTTP_PREFIX, HttpSettings.DEFAULTS.withMaxBodyBytes(DEFAULT_MAX_BODY_BYTES)).stream()
        .filter(setting -> !declared.contains(setting.key())).forEach(all::add);
    return List.copyOf(all);
  }

  public static ReceiverSettings from(TracepipeConfig config) {
    return new ReceiverSettings(
        HttpSettings.from(config, HTTP_PREFIX, HttpSettings.DEFAULTS.withMaxBodyBytes(DEFAULT_MAX_BODY_BYTES)),
        config.integer(GRPC_PORT, DEFAULT_GRPC_PORT));
  }
}
