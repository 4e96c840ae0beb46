package dev.tracepipe.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

/** A PKCS12 key store with a fresh self-signed certificate for localhost and 127.0.0.1, made with the JDK's keytool. */
public record SelfSignedKeyStore(Path path, String password) {

  /** Creates {@code server.p12} in {@code dir}; the same file serves as the clients' trust store. */
  public static SelfSignedKeyStore create(Path dir) throws IOException, InterruptedException {
    Path store = dir.resolve("server.p12");
    String password = "changeit-" + Long.toHexString(System.nanoTime());
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", password, "-keypass", password)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0 || !Files.exists(store)) {
      throw new IOException("keytool failed: " + output);
    }
    return new SelfSignedKeyStore(store, password);
  }

  /** The certificate in PEM, for clients that take trusted certificates that way (the OpenTelemetry exporters). */
  public byte[] certificatePem() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password.toCharArray());
    }
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(store.getCertificate("server").getEncoded());
    return ("-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
