package dev.tracepipe.platform;

import dev.tracepipe.platform.http.HttpApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * What a stage gets to run with: configuration, the metrics registry, the shared HTTP API and the health board.
 * In the all-in-one launcher every stage shares one context; deployed alone, a stage has its own.
 */
public record StageContext(TracepipeConfig config, MeterRegistry meters, HttpApi http, Health health) {

  public Map<String, Object> serdeConfig() {
    return config.serdeConfig();
  }
}
