package dev.tracepipe.aggregator;

import dev.tracepipe.testkit.GoldenFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A renamed source, processor, store or sink orphans state or breaks consumers: this golden file makes it visible. */
class AggregatorTopologyDescriptionTest {

  @Test
  void describeMatchesTheGoldenFile() {
    String actual = new AggregatorTopology(AggregatorSettings.defaults(), Map.of("schema.registry.url", "mock://golden"),
        new SimpleMeterRegistry()).get().describe().toString();
    GoldenFile.assertMatches(Path.of("src/test/resources/aggregator-topology.txt"), actual);
  }
}
