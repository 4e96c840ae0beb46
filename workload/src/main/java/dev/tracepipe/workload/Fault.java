package dev.tracepipe.workload;

import java.util.Objects;

/**
 * One fault aimed at one service (an instrumented service or a remote peer such as {@code shop-db}), written on the
 * command line as {@code slow-host:payment}.
 */
public record Fault(FaultType type, String service) {
  public Fault {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(service, "service == null");
    if (service.isBlank()) {
      throw new IllegalArgumentException("fault " + type.cliName() + " names no service");
    }
  }

  /** Parses {@code TYPE:SERVICE}, e.g. {@code failing-dependency:shop-db}. */
  public static Fault parse(String text) {
    Objects.requireNonNull(text, "text == null");
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("fault '" + text + "' is not TYPE:SERVICE, e.g. slow-host:payment");
    }
    return new Fault(FaultType.parse(text.substring(0, colon)), text.substring(colon + 1).trim());
  }

  @Override
  public String toString() {
    return type.cliName() + ":" + service;
  }
}
