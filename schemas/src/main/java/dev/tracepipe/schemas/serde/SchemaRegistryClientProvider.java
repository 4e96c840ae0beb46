package dev.tracepipe.schemas.serde;

/**
 * A registry client for URLs other than HTTP(S), found on the class path with {@link java.util.ServiceLoader}: how the
 * in-memory registry tests use ({@code mock://}) stays out of the code that ships.
 */
public interface SchemaRegistryClientProvider {
  /** The URL prefix this provider serves, e.g. {@code mock://}. */
  String prefix();

  /** A client for the URL, given without the prefix. */
  SchemaRegistryClient client(String rest);
}
