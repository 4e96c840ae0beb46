package dev.tracepipe.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Where configuration values come from: the built-in defaults, a properties file, {@code TRACEPIPE_*} variables. */
final class ConfigSources {
  static final String ENV_PREFIX = "TRACEPIPE_";
  private static final String DEFAULTS = "/tracepipe-defaults.properties";

  private ConfigSources() {}

  static Map<String, String> defaults() {
    try (InputStream in = ConfigSources.class.getResourceAsStream(DEFAULTS)) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return toMap(props);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in defaults " + DEFAULTS, e);
    }
  }

  static Map<String, String> file(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Properties props = new Properties();
      props.load(reader);
      return toMap(props);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The keys the {@code TRACEPIPE_*} variables set: a known key (dashes included) when a variable names one, else the
   * variable's name without the prefix, lower-cased, underscores as dots.
   */
  static Map<String, String> environment(Map<String, String> env, Map<String, String> known) {
    Map<String, String> byEnvName = new HashMap<>();
    known.keySet().forEach(k -> byEnvName.put(envName(k), k));
    Map<String, String> result = new HashMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX)) {
        String key = byEnvName.getOrDefault(name,
            name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
        result.put(key, value);
      }
    });
    return result;
  }

  /** The {@code TRACEPIPE_*} variables themselves, consulted by name on every read. */
  static Map<String, String> tracepipeVariables(Map<String, String> env) {
    Map<String, String> variables = new HashMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith(ENV_PREFIX)) {
        variables.put(k, v);
      }
    });
    return variables;
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> toMap(Properties props) {
    Map<String, String> map = new HashMap<>();
    props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
    return map;
  }
}
