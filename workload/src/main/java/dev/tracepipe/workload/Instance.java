package dev.tracepipe.workload;

import java.util.Map;
import java.util.Objects;

/**
 * One running copy of a service: the host it runs on and the version it runs.
 *
 * @param newVersion whether this host already runs the release being rolled out
 * @param resource the resource attributes every span of this instance carries (immutable, copied into each span)
 */
record Instance(String service, String host, String ip, String version, boolean newVersion,
    Map<String, String> resource) {
  Instance {
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(host, "host == null");
    Objects.requireNonNull(version, "version == null");
    resource = Map.copyOf(resource);
  }
}
