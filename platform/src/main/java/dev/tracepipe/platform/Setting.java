package dev.tracepipe.platform;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration key of a stage, declared once: its name, its default as written in a properties file (empty when
 * there is none), what it means, and the key it replaced, which is still read, with a warning, for one release.
 */
public record Setting(String key, String defaultValue, String doc, String formerKey) {
  private static final Logger LOG = LoggerFactory.getLogger(Setting.class);
  /** Former keys already warned about: one warning per key and process, not one per read. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  public Setting {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(defaultValue, "defaultValue == null");
    Objects.requireNonNull(doc, "doc == null");
  }

  public static Setting of(String key, Object defaultValue, String doc) {
    String text = defaultValue instanceof Duration d ? Durations.format(d) : String.valueOf(defaultValue);
    return new Setting(key, text, doc, null);
  }

  /** The same setting, also read from the key it replaced. */
  public Setting formerly(String oldKey) {
    return new Setting(key, defaultValue, doc, oldKey);
  }

  /** The configured value, from this key or else from the former one (logging that it is deprecated). */
  public Optional<String> find(TracepipeConfig config) {
    Optional<String> value = config.find(key);
    if (value.isPresent() || formerKey == null) {
      return value;
    }
    Optional<String> old = config.find(formerKey);
    if (old.isPresent() && WARNED.add(formerKey)) {
      LOG.warn("configuration key {} is deprecated and will be ignored in the next release; use {}", formerKey, key);
    }
    return old;
  }

  public String string(TracepipeConfig config) {
    return find(config).orElse(defaultValue);
  }

  public int integer(TracepipeConfig config) {
    return read(config, Integer::parseInt);
  }

  public long longValue(TracepipeConfig config) {
    return read(config, Long::parseLong);
  }

  public double doubleValue(TracepipeConfig config) {
    return read(config, Double::parseDouble);
  }

  public boolean bool(TracepipeConfig config) {
    return read(config, Boolean::parseBoolean);
  }

  public Duration duration(TracepipeConfig config) {
    return read(config, Durations::parse);
  }

  private <T> T read(TracepipeConfig config, Function<String, T> parser) {
    return TracepipeConfig.parse(key, string(config), parser);
  }
}
