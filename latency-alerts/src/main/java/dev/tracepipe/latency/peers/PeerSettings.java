package dev.tracepipe.latency.peers;

import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How hosts are compared with their peers and versions with the version they replace, and how the resulting alerts
 * live ({@code tracepipe.peers.*}, {@code tracepipe.alerts.lifecycle.*}; the module README explains each key).
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

  public static final String ENABLED = "tracepipe.peers.enabled";
  public static final String HOST_DIMENSION = "tracepipe.peers.host-dimension";
  public static final String VERSION_DIMENSION = "tracepipe.peers.version-dimension";
  public static final String MIN_SAMPLES = "tracepipe.peers.min-samples";
  public static final String MIN_PEERS = "tracepipe.peers.min-peers";
  public static final String HOST_FACTOR = "tracepipe.peers.host-factor";
  public static final String RELEASE_FACTOR = "tracepipe.peers.release-factor";
  public static final String ERROR_FACTOR = "tracepipe.peers.error.factor";
  public static final String ERROR_MIN_DIFFERENCE = "tracepipe.peers.error.min-difference";
  public static final String RELEASE_MEMORY_WINDOWS = "tracepipe.peers.release.memory-windows";
  public static final String MAX_VERSIONS = "tracepipe.peers.release.max-versions";
  public static final String REPEAT_INTERVAL = "tracepipe.alerts.lifecycle.repeat-interval";
  public static final String STALE_WINDOWS = "tracepipe.alerts.lifecycle.stale-windows";
  public static final String MAX_ACTIVE = "tracepipe.alerts.lifecycle.max-active";

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
    return new PeerSettings(
        config.bool(ENABLED, true),
        config.string(HOST_DIMENSION, "host.name"),
        config.string(VERSION_DIMENSION, "service.version"),
        config.longValue(MIN_SAMPLES, 20),
        config.integer(MIN_PEERS, 2),
        config.doubleValue(HOST_FACTOR, 3.0),
        config.doubleValue(RELEASE_FACTOR, 2.0),
        config.doubleValue(ERROR_FACTOR, 2.0),
        config.doubleValue(ERROR_MIN_DIFFERENCE, 0.1),
        config.integer(RELEASE_MEMORY_WINDOWS, 5),
        config.integer(MAX_VERSIONS, 20),
        config.duration(REPEAT_INTERVAL, Duration.ofMinutes(1)),
        config.integer(STALE_WINDOWS, 2),
        config.integer(MAX_ACTIVE, 50));
  }

  /** The defaults, for tests. */
  public static PeerSettings defaults() {
    return from(TracepipeConfig.of(java.util.Map.of()));
  }
}
