package dev.tracepipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracepipe.testkit.KafkaTestCluster;
import dev.tracepipe.workload.ExportBatching;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zipkin's real server, started from the exec jar the build copied, consumes generated spans from a real broker. */
class ZipkinServerPeerIT {
  @TempDir
  Path dir;

  @Test
  void zipkinServerConsumesTheBacklogAndItsRateAndCpuAreRead() throws Exception {
    Path jar = ZipkinServerPeer.locateJar();
    assumeTrue(Files.isRegularFile(jar), "the build copies " + jar);
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      ZipkinServerPeer.Result result = new ZipkinServerPeer(kafka.bootstrapServers(), jar, dir, System.out)
          .measure(20_000, ExportBatching.honest(), Duration.ofSeconds(30));
      assertThat(result.note()).isEqualTo("consumed the whole backlog");
      assertThat(result.backlog()).isGreaterThanOrEqualTo(20_000);
      assertThat(result.spans()).isPositive().isLessThanOrEqualTo(result.backlog());
      assertThat(result.cpuSeconds()).isPositive();
    }
  }
}
