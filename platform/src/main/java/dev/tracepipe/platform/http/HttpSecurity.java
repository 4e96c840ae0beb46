package dev.tracepipe.platform.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts and credential checks from {@link HttpSettings}, shared by every server and every peer call. */
public final class HttpSecurity {
  /** The challenge sent with 401, naming both schemes that are accepted. */
  public static final String CHALLENGE = "Bearer realm=\"tracepipe\", Basic realm=\"tracepipe\"";

  private final HttpSettings settings;

  public HttpSecurity(HttpSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings == null");
  }

  /** Null when the Authorization header value is acceptable (or none is asked), else why not. */
  public String reject(String authorization) {
    if (!settings.authenticates()) return null;
    if (authorization == null || authorization.isBlank()) return "authentication required";
    String value = authorization.trim();
    int space = value.indexOf(' ');
    if (space < 0) return "malformed Authorization header";
    String scheme = value.substring(0, space);
    String credential = value.substring(space + 1).trim();
    if (scheme.equalsIgnoreCase("Bearer")) {
      for (String token : settings.tokens()) {
        if (same(token, credential)) return null;
      }
      return "unknown bearer token";
    }
    if (scheme.equalsIgnoreCase("Basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(credential), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return "basic credentials are not base64";
      }
      int colon = decoded.indexOf(':');
      String password = colon < 0 ? null : settings.basicUsers().get(decoded.substring(0, colon));
      if (password != null && same(password, decoded.substring(colon + 1))) return null;
      return "unknown user or wrong password";
    }
    return "unsupported authentication scheme " + scheme;
  }

  private static boolean same(String expected, String actual) {
    // Constant-time, so that response timing does not reveal how much of a secret matched.
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }

  /** The Authorization header this process sends to other instances, or null when none is configured. */
  public String clientAuthorization() {
    if (!settings.tokens().isEmpty()) return "Bearer " + settings.tokens().get(0);
    if (!settings.basicUsers().isEmpty()) {
      Map.Entry<String, String> user = settings.basicUsers().entrySet().iterator().next();
      return "Basic " + Base64.getEncoder().encodeToString((user.getKey() + ":" + user.getValue())
          .getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** The JDK authenticator form of {@link #reject}, for servers that do not run on {@link HttpApi}. */
  public Authenticator authenticator() {
    return new Authenticator() {
      @Override
      public Result authenticate(HttpExchange exchange) {
        String reason = reject(exchange.getRequestHeaders().getFirst("Authorization"));
        if (reason == null) return new Success(new HttpPrincipal("client", "tracepipe"));
        exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
        return new Failure(401);
      }
    };
  }

  /** A plain or TLS server on host:port as the settings say; not started. */
  public HttpServer createServer(InetSocketAddress address, int backlog) throws IOException {
    if (!settings.tls()) return HttpServer.create(address, backlog);
    HttpsServer server = HttpsServer.create(address, backlog);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
    return server;
  }

  /** The server's TLS context from its key store. */
  public SSLContext serverContext() {
    try {
      KeyStore store = load(settings.keyStore(), settings.keyStorePassword(), settings.keyStoreType());
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, settings.keyStorePassword().toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot use the key store " + settings.keyStore() + ": " + e.getMessage(), e);
    }
  }

  /** The key managers of the key store, for servers built by other libraries (gRPC). */
  public KeyManagerFactory keyManagers() {
    try {
      KeyStore store = load(settings.keyStore(), settings.keyStorePassword(), settings.keyStoreType());
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, settings.keyStorePassword().toCharArray());
      return keys;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot use the key store " + settings.keyStore() + ": " + e.getMessage(), e);
    }
  }

  /** The context for calling other instances: the configured trust store, or the JVM's default CAs. */
  public SSLContext clientContext() {
    if (settings.trustStore() == null) {
      try {
        return SSLContext.getDefault();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no default TLS context: " + e.getMessage(), e);
      }
    }
    try {
      KeyStore store = load(settings.trustStore(), settings.trustStorePassword(), settings.keyStoreType());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot use the trust store " + settings.trustStore() + ": " + e.getMessage(),
          e);
    }
  }

  private static KeyStore load(Path path, String password, String type) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }
}
