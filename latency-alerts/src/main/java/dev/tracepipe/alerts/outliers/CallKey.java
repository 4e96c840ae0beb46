package dev.tracepipe.alerts.outliers;

import java.util.Objects;

/** A (service, operation) pair counted per trace when comparing a trace's shape with its usual one. */
record CallKey(String service, String operation) implements Comparable<CallKey> {

  CallKey {
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(operation, "operation == null");
  }

  @Override
  public int compareTo(CallKey o) {
    int c = service.compareTo(o.service);
    return c != 0 ? c : operation.compareTo(o.operation);
  }
}
