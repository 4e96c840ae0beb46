package dev.tracepipe.alerts;

import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Optional delivery of alerts to a Prometheus Alertmanager ({@code tracepipe.alertmanager.*}; the module README
 * explains each key).
 *
 * @param url the Alertmanager's base URL, e.g. http://alertmanager:9093; empty leaves delivery off
 * @param queue alerts waiting to be sent; beyond it the oldest wait and new ones are dropped and counted
 * @param firingTimeout a firing alert not sent again within this long is resolved by Alertmanager itself; it must be
 *     longer than {@code tracepipe.alerts.lifecycle.repeat-interval}
 * @param generatorUrl where a user follows an alert to, e.g. this stage's page; empty for none
 */
public record AlertmanagerSettings(Optional<String> url, int queue, Duration firingTimeout, String generatorUrl) {

  public static final String URL = "tracepipe.alertmanager.url";
  public static final String QUEUE = "tracepipe.alertmanager.queue";
  public static final String FIRING_TIMEOUT = "tracepipe.alertmanager.firing-timeout";
  public static final String GENERATOR_URL = "tracepipe.alertmanager.generator-url";

  public AlertmanagerSettings {
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(firingTimeout, "firingTimeout == null");
    Objects.requireNonNull(generatorUrl, "generatorUrl == null");
    if (queue < 1 || firingTimeout.isNegative() || firingTimeout.isZero()) {
      throw new IllegalArgumentException("alertmanager queue >= 1 and firing timeout > 0 required: " + queue + ", "
          + firingTimeout);
    }
  }

  public static AlertmanagerSettings from(TracepipeConfig config) {
    return new AlertmanagerSettings(config.find(URL).map(String::trim).filter(u -> !u.isEmpty()),
        config.integer(QUEUE, 1000), config.duration(FIRING_TIMEOUT, Duration.ofMinutes(5)),
        config.string(GENERATOR_URL, ""));
  }
}
