package dev.tracepipe.alerts.peers;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How hosts are compared with their peers and versions with the version they replace, and how the resulting alerts
 * live ({@code peers.*}, {@code alerts.lifecycle.*}; listed in CONFIGURATION.md).
 *
 * @param enabled whether closed windows are compared at all
 * @param hostDimension the resource attribute naming a host
 * @param versionDimension the resource attribute naming a release
 * @param minSamples spans a host or version needs in a window, on each side of a comparison
 * @param minPeers other hosts with enough spans a host needs before it is judged
 * @param hostFactor a host is an outlier when its p99 exceeds this times the median p99 of the other hosts
 * @param releaseFactor a version regressed when its p99 exceeds this times the p99 of the version it replaces
 * @param errorFactor an error rate is out of line when above this times the peers' rate ...
 * @param errorMinDifference ... and at least this much higher in absolute terms (0.1 = ten percentage points)
 * @param releaseMemoryWindows recent windows kept per version, to compare a new version with the last windows before it
 * @param maxVersions versions remembered per operation; the least recently seen goes first
 * @param repeatInterval a firing alert is sent again after this much window time while its condition holds
 * @param staleWindows a firing alert resolves after this many closed windows that could not judge it
 * @param maxActive firing conditions kept per operation; further ones are dropped and counted
 */
public record PeerSettings(
    boolean enabled,
    String hostDimension,
    String versionDimension,
    long minSamples,
    int minPeers,
    double hostFactor,
    double releaseFactor,
    double errorFactor,
    double errorMinDifference,
    int releaseMemoryWindows,
    int maxVersions,
    Duration repeatInterval,
    int staleWindows,
    int maxActive) {

  public static final Setting ENABLED = peers("enabled", true, "whether closed windows are compared at all");
  public static final Setting HOST_DIMENSION = peers("host-dimension", "host.name",
      "the resource attribute naming a host");
  public static final Setting VERSION_DIMENSION = peers("version-dimension", "service.version",
      "the resource attribute naming a release");
  public static final Setting MIN_SAMPLES = peers("min-samples", 20,
      "spans a host or version needs in a window, on each side of a comparison");
  public static final Setting MIN_PEERS = peers("min-peers", 2,
      "other hosts with enough spans a host needs before it is judged");
  public static final Setting HOST_FACTOR = peers("host-factor", 3.0,
      "a host is an outlier when its self time (p50 and p99) exceeds this times the median of the other hosts'");
  public static final Setting RELEASE_FACTOR = peers("release-factor", 2.0,
      "a version regressed when its self time (p50 and p99) exceeds this times the version it replaces");
  public static final Setting ERROR_FACTOR = peers("error.factor", 2.0,
      "an error rate is out of line when above this times the peers' rate ...");
  public static final Setting ERROR_MIN_DIFFERENCE = peers("error.min-difference", 0.1,
      "... and at least this much higher in absolute terms (0.1 = ten percentage points)");
  public static final Setting RELEASE_MEMORY_WINDOWS = peers("release.memory-windows", 5,
      "recent windows kept per version, to compare a new version with the last windows before it");
  public static final Setting MAX_VERSIONS = peers("release.max-versions", 20,
      "versions remembered per operation; the least recently seen goes first");
  public static final Setting REPEAT_INTERVAL = lifecycle("repeat-interval", Duration.ofMinutes(1),
      "a firing host or release alert is sent again after this much window time while its condition holds");
  public static final Setting STALE_WINDOWS = lifecycle("stale-windows", 2,
      "a firing alert resolves after this many closed windows that could not judge it");
  public static final Setting MAX_ACTIVE = lifecycle("max-active", 50,
      "firing conditions kept per operation; further ones are dropped and counted");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(ENABLED, HOST_DIMENSION, VERSION_DIMENSION, MIN_SAMPLES, MIN_PEERS,
      HOST_FACTOR, RELEASE_FACTOR, ERROR_FACTOR, ERROR_MIN_DIFFERENCE, RELEASE_MEMORY_WINDOWS, MAX_VERSIONS,
      REPEAT_INTERVAL, STALE_WINDOWS, MAX_ACTIVE);

  /**
   * The dimensions kept by default: release and host for peer comparison, plus where they are present the deployment
   * environment and the Kubernetes pod and node.
   */
  public static final String DEFAULT_DIMENSIONS =
      "service.version,host.name,deployment.environment,k8s.pod.name,k8s.node.name";

  public PeerSettings {
    Objects.requireNonNull(hostDimension, "hostDimension == null");
    Objects.requireNonNull(versionDimension, "versionDimension == null");
    Objects.requireNonNull(repeatInterval, "repeatInterval == null");
    if (minSamples < 1 || minPeers < 1 || !(hostFactor > 1) || !(releaseFactor > 1) || !(errorFactor > 1)
        || errorMinDifference < 0 || releaseMemoryWindows < 1 || maxVersions < 2 || repeatInterval.isNegative()
        || staleWindows < 1 || maxActive < 1) {
      throw new IllegalArgumentException("peer settings out of range: " + this);
    }
  }

  public static PeerSettings from(TracepipeConfig config) {
    return new PeerSettings(ENABLED.bool(config), HOST_DIMENSION.string(config), VERSION_DIMENSION.string(config),
        MIN_SAMPLES.longValue(config), MIN_PEERS.integer(config), HOST_FACTOR.doubleValue(config),
        RELEASE_FACTOR.doubleValue(config), ERROR_FACTOR.doubleValue(config), ERROR_MIN_DIFFERENCE.doubleValue(config),
        RELEASE_MEMORY_WINDOWS.integer(config), MAX_VERSIONS.integer(config), REPEAT_INTERVAL.duration(config),
        STALE_WINDOWS.integer(config), MAX_ACTIVE.integer(config));
  }

  private static Setting peers(String name, Object defaultValue, String doc) {
    return Setting.of("peers." + name, defaultValue, doc);
  }

  private static Setting lifecycle(String name, Object defaultValue, String doc) {
    return Setting.of("alerts.lifecycle." + name, defaultValue, doc);
  }

  /** The defaults, for tests. */
  public static PeerSettings defaults() {
    return from(TracepipeConfig.of(java.util.Map.of()));
  }
}
