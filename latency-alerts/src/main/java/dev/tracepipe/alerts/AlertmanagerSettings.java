package dev.tracepipe.alerts;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Optional delivery of alerts to a Prometheus Alertmanager ({@code alertmanager.*}; listed in CONFIGURATION.md).
 *
 * @param url the Alertmanager's base URL, e.g. http://alertmanager:9093; empty leaves delivery off
 * @param queue alerts waiting to be sent; beyond it the oldest wait and new ones are dropped and counted
 * @param firingTimeout a firing alert not sent again within this long is resolved by Alertmanager itself; it must be
 *     longer than {@code alerts.lifecycle.repeat-interval}
 * @param generatorUrl where a user follows an alert to, e.g. this stage's page; empty for none
 */
public record AlertmanagerSettings(Optional<String> url, int queue, Duration firingTimeout, String generatorUrl) {

  public static final Setting URL = Setting.of("alertmanager.url", "",
      "the Alertmanager's base URL, e.g. http://alertmanager:9093; empty leaves delivery off");
  public static final Setting QUEUE = Setting.of("alertmanager.queue", 1000,
      "alerts waiting to be sent; beyond it new ones are dropped and counted");
  public static final Setting FIRING_TIMEOUT = Setting.of("alertmanager.firing-timeout", Duration.ofMinutes(5),
      "a firing alert not sent again within this long is resolved by Alertmanager itself; longer than"
          + " alerts.lifecycle.repeat-interval");
  public static final Setting GENERATOR_URL = Setting.of("alertmanager.generator-url", "",
      "where a user follows an alert to, e.g. this stage's page; empty for none");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(URL, QUEUE, FIRING_TIMEOUT, GENERATOR_URL);

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
    return new AlertmanagerSettings(URL.find(config).map(String::trim).filter(u -> !u.isEmpty()),
        QUEUE.integer(config), FIRING_TIMEOUT.duration(config), GENERATOR_URL.string(config));
  }
}
