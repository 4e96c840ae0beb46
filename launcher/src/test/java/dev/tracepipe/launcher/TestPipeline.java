package dev.tracepipe.launcher;

import dev.tracepipe.aggregator.AggregatorSettings;
import dev.tracepipe.bench.ShortWindows;
import dev.tracepipe.ingest.IngestSettings;
import dev.tracepipe.ingest.ReceiverSettings;
import dev.tracepipe.platform.TracepipeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Every stage in this JVM against a test broker, with short windows and every port picked free. */
final class TestPipeline {
  private TestPipeline() {}

  /** Starts the pipeline on {@code bootstrapServers}; {@code extra} adds or replaces settings (client security, say). */
  static AllInOne start(String bootstrapServers, Path dataDir, Map<String, String> extra) throws Exception {
    Map<String, String> settings = new HashMap<>(ShortWindows.with(Map.of(
        AggregatorSettings.GAP.key(), "1s", "streams.commit.interval.ms", "200", "streams.num.stream.threads", "1",
        TracepipeConfig.HTTP_PORT, "0", IngestSettings.OTLP_PORT.key(), "0", IngestSettings.ZIPKIN_PORT.key(), "0",
        ReceiverSettings.GRPC_PORT, "0")));
    settings.putAll(extra);
    LocalOptions options = LocalOptions.parse("--bootstrap-servers", bootstrapServers, "--data-dir",
        dataDir.toString(), "--registry-port", "0");
    return AllInOne.start(options, settings);
  }
}
