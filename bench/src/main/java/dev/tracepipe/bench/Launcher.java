package dev.tracepipe.bench;

import java.util.Objects;

/**
 * How the bench starts {@code tracepipe} commands ({@code broker}, {@code run}, {@code stage}) in processes of their
 * own: the command line's main class, and the line its broker command prints once Kafka and the registry serve.
 */
public record Launcher(String mainClass, String brokerReady) {
  public Launcher {
    Objects.requireNonNull(mainClass, "mainClass == null");
    Objects.requireNonNull(brokerReady, "brokerReady == null");
  }
}
