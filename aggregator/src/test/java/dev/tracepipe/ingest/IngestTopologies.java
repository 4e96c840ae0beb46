package dev.tracepipe.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.streams.Topology;

/** Builds the ingest topology with its default limits, for tests of other modules that need real canonical spans. */
public final class IngestTopologies {
  private IngestTopologies() {}

  public static Topology withDefaults(String avro, String otlp, String zipkin, String canonical, String deadLetters,
      Map<String, ?> serdeConfig, MeterRegistry meters) {
    return new IngestTopology(new IngestTopology.InputTopics(avro, otlp, zipkin), canonical, deadLetters, serdeConfig,
        IngestLimits.DEFAULTS, new IngestMetrics(meters)).get();
  }
}
