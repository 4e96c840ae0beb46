package dev.tracepipe.alerts.peers;

import java.util.List;
import java.util.Objects;

/** One closed window of one operation, split by dimension combination: what peer comparison judges. */
public record PeerWindow(String service, String operation, String kind, long startMillis, long endMillis,
    List<DimensionCell> cells) {

  public PeerWindow {
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(operation, "operation == null");
    Objects.requireNonNull(kind, "kind == null");
    cells = List.copyOf(Objects.requireNonNull(cells, "cells == null"));
  }
}
