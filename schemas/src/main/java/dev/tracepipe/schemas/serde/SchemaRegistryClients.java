package dev.tracepipe.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds a registry client from serde configuration, with the property names Confluent's serializers use. */
public final class SchemaRegistryClients {
  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  /** Read once: what the class path offers does not change while the process runs. */
  private static final List<SchemaRegistryClientProvider> PROVIDERS =
      ServiceLoader.load(SchemaRegistryClientProvider.class).stream().map(ServiceLoader.Provider::get).toList();

  private SchemaRegistryClients() {}

  /**
   * A client for {@code schema.registry.url}: HTTP(S) base URLs, comma-separated, or a URL a provider on the class path
   * serves (the test kit's {@code mock://scope}, an in-memory registry shared per scope).
   */
  public static SchemaRegistryClient fromConfig(Map<String, ?> config) {
    Object url = Objects.requireNonNull(config.get(URL), URL + " is not configured");
    String urls = url.toString().trim();
    for (SchemaRegistryClientProvider provider : PROVIDERS) {
      if (urls.startsWith(provider.prefix())) {
        return provider.client(urls.substring(provider.prefix().length()));
      }
    }
    List<URI> baseUrls = Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(URI::create).toList();
    for (URI base : baseUrls) {
      if (!"http".equalsIgnoreCase(base.getScheme()) && !"https".equalsIgnoreCase(base.getScheme())) {
        throw new IllegalArgumentException(URL + ": " + base + " is neither an http(s) URL nor served by a registry"
            + " client provider on the class path");
      }
    }
    Duration timeout = Duration.ofMillis(Long.parseLong(string(config, REQUEST_TIMEOUT_MS, "30000")));
    return new HttpSchemaRegistryClient(baseUrls, string(config, BASIC_AUTH_USER_INFO, null), sslContext(config), timeout);
  }

  private static SSLContext sslContext(Map<String, ?> config) {
    String trustStore = string(config, TRUSTSTORE_LOCATION, null);
    String keyStore = string(config, KEYSTORE_LOCATION, null);
    if (trustStore == null && keyStore == null) {
      return null;
    }
    try {
      TrustManagerFactory tmf = null;
      if (trustStore != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore, string(config, TRUSTSTORE_TYPE, "PKCS12"), string(config, TRUSTSTORE_PASSWORD, "")));
      }
      KeyManagerFactory kmf = null;
      if (keyStore != null) {
        String password = string(config, KEYSTORE_PASSWORD, "");
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore, string(config, KEYSTORE_TYPE, "PKCS12"), password), password.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot set up TLS for the schema registry: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String location, String type, String password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  private static String string(Map<String, ?> config, String key, String fallback) {
    Object value = config.get(key);
    return value == null ? fallback : value.toString();
  }
}
