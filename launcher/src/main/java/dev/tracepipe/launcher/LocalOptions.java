package dev.tracepipe.launcher;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code run} and {@code demo} start from: connection, embedded broker and the stages' HTTP port. */
final class LocalOptions {
  @Mixin
  ConnectionOptions connection = new ConnectionOptions();
  @Mixin
  BrokerOptions broker = new BrokerOptions();
  @Option(names = "--http-port", paramLabel = "PORT", description = "the stages' HTTP port (default 8080)")
  Integer httpPort;
}
