package dev.tracepipe.dependencies;

import java.util.List;
import java.util.Objects;

/** What has been counted for one trace id so far, and from which version of the trace. */
record CountedTrace(int version, List<CountedCall> calls) {

  CountedTrace {
    calls = List.copyOf(Objects.requireNonNull(calls, "calls == null"));
  }
}
