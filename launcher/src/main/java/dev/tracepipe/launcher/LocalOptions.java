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

  /** The options as {@code tracepipe run} would read them from {@code args}. */
  static LocalOptions parse(String... args) {
    LocalOptions options = new LocalOptions();
    new picocli.CommandLine(options).parseArgs(args);
    return options;
  }
}
