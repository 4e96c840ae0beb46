package dev.tracepipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracepipe.testkit.KafkaTestCluster;
import dev.tracepipe.workload.ExportBatching;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Zipkin's real server, started from the exec jar the build copied, consumes generated spans from a real broker. */
class ZipkinServerPeerIT {
  @TempDir
  Path dir;

  @Test
  void zipkinServerConsumesTheBacklogThenKeepsUpWithALiveStepAndItsRatesAndCpuAreRead() throws Exception {
    Path jar = ZipkinServerPeer.locateJar();
    assumeTrue(Files.isRegularFile(jar), "the build copies " + jar);
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      ZipkinServerPeer.Result result = new ZipkinServerPeer(kafka.bootstrapServers(), jar, dir, System.out)
          .measure(20_000, ExportBatching.honest(), Duration.ofSeconds(30),
              new ZipkinServerPeer.LiveRamp(List.of(1_000.0), options()));
      assertThat(result.note()).isEqualTo("consumed the whole backlog");
      assertThat(result.backlog()).isGreaterThanOrEqualTo(20_000);
      assertThat(result.spans()).isPositive().isLessThanOrEqualTo(result.backlog());
      assertThat(result.cpuSeconds()).isPositive();
      // One rate, which a server that drained 20,000 spans keeps up with: a single step that kept up.
      assertThat(result.live()).hasSize(1);
      ZipkinServerPeer.LiveStep step = result.live().get(0);
      assertThat(step.keptUp()).as("%s", step).isTrue();
      assertThat(step.sent()).isGreaterThan(500);
      assertThat(step.consumed()).isGreaterThan(500);
      assertThat(step.serverCores()).isPositive();
      assertThat(result.sustained()).isEqualTo(step);
    }
  }

  private static BenchOptions options() {
    CommandLine commandLine = BenchCommand.commandLine(new Launcher("unused", "unused"));
    commandLine.parseArgs("--step-warmup", "3s", "--step-measure", "5s");
    return ((BenchCommand) commandLine.getCommand()).options();
  }
}
