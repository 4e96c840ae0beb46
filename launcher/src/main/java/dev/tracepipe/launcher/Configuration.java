package dev.tracepipe.launcher;

import dev.tracepipe.aggregator.AggregatorSettings;
import dev.tracepipe.alerts.AlertmanagerSettings;
import dev.tracepipe.alerts.peers.PeerSettings;
import dev.tracepipe.dependencies.DependencyGraphSettings;
import dev.tracepipe.ingest.IngestSettings;
import dev.tracepipe.ingest.ReceiverSettings;
import dev.tracepipe.latency.LatencySettings;
import dev.tracepipe.platform.ConfigurationReference;
import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.platform.time.ClockSettings;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.tracestore.TraceStoreSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key of every stage, as declared by the settings records; CONFIGURATION.md is made from it. */
final class Configuration {
  private static final String INTRODUCTION = """
      # Configuration reference

      Generated from the settings each stage declares (`XxxSettings` records); a test fails when this file and the
      declarations differ (`mvn -pl launcher -am test -Dtest=ConfigurationReferenceTest -Dgolden.update=true
      -Dsurefire.failIfNoSpecifiedTests=false` rewrites it). Values come from built-in defaults, then `--config FILE`
      (properties), then environment variables (`TRACEPIPE_` and the key in upper case, dots and dashes as
      underscores: `TRACEPIPE_AGGREGATOR_INACTIVITY_GAP`), then command-line options. Durations are written `250ms`,
      `30s`, `5m`, `1h`, `7d` or ISO-8601. A key marked "formerly" was renamed; the old key is still read, with a
      warning, for one release.
      """;

  private Configuration() {}

  /** Sections of the reference, by title, in the order data flows through the stages. */
  static Map<String, List<Setting>> sections() {
    Map<String, List<Setting>> sections = new LinkedHashMap<>();
    sections.put("Every stage", TracepipeConfig.commonSettings());
    sections.put("Tracer clocks, in every stage (`clock.*`)", ClockSettings.ALL);
    sections.put("HTTP servers of every stage (`http.*`)", HttpSettings.declared(HttpSettings.PREFIX,
        HttpSettings.DEFAULTS));
    sections.put("Embedded schema registry (`registry.http.*`)",
        HttpSettings.declared(EmbeddedSchemaRegistry.HTTP_PREFIX, HttpSettings.DEFAULTS));
    sections.put("ingest (`ingest.*`)", IngestSettings.ALL);
    sections.put("ingest receivers (`ingest.http.*`, `ingest.otlp.*`)", ReceiverSettings.declared());
    sections.put("aggregator (`aggregator.*`)", AggregatorSettings.ALL);
    sections.put("dependency-graph (`dependencies.*`)", DependencyGraphSettings.ALL);
    sections.put("latency-alerts (`latency.*`, `alerts.*`)", LatencySettings.ALL);
    sections.put("latency-alerts: hosts and releases against their peers (`peers.*`, `alerts.lifecycle.*`)",
        PeerSettings.ALL);
    sections.put("latency-alerts: delivery to Alertmanager (`alertmanager.*`)", AlertmanagerSettings.ALL);
    sections.put("trace-store (`trace-store.*`)", TraceStoreSettings.ALL);
    return sections;
  }

  static List<Setting> all() {
    List<Setting> all = new ArrayList<>();
    sections().values().forEach(all::addAll);
    return all;
  }

  static String reference() {
    return ConfigurationReference.markdown(INTRODUCTION, sections());
  }
}
