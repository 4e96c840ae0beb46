package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A renamed source, processor, store or sink orphans state or breaks consumers: this golden file makes it visible. */
class AggregatorTopologyDescriptionTest {

  @Test
  void describeMatchesTheGoldenFile() throws IOException {
    String actual = new AggregatorTopology(AggregatorSettings.defaults(), Map.of("schema.registry.url", "mock://golden"),
        new SimpleMeterRegistry()).get().describe().toString();

    String expected;
    try (InputStream in = getClass().getResourceAsStream("/aggregator-topology.txt")) {
      assertThat(in).as("golden file aggregator-topology.txt; actual description:%n%s", actual).isNotNull();
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(actual.strip()).isEqualTo(expected.strip());
  }
}
