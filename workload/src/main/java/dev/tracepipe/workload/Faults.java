package dev.tracepipe.workload;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The faults active right now, shared by every generator thread: switched on and off at any time from any thread,
 * read once per trace so that a trace never sees half of a change.
 */
public final class Faults {
  private final Set<Fault> active = new LinkedHashSet<>();
  private volatile Map<FaultType, Set<String>> targets = Map.of();

  public synchronized void activate(Fault fault) {
    Objects.requireNonNull(fault, "fault == null");
    active.add(fault);
    publish();
  }

  public synchronized void deactivate(Fault fault) {
    Objects.requireNonNull(fault, "fault == null");
    active.remove(fault);
    publish();
  }

  public synchronized void clear() {
    active.clear();
    publish();
  }

  /** The active faults in the order they were switched on. */
  public synchronized Set<Fault> active() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(active));
  }

  public boolean isActive(Fault fault) {
    return targets(fault.type()).contains(fault.service());
  }

  /** The services a fault type currently aims at; immutable. */
  Set<String> targets(FaultType type) {
    return targets.getOrDefault(type, Set.of());
  }

  /** An immutable view of every active fault, for one trace. */
  Map<FaultType, Set<String>> snapshot() {
    return targets;
  }

  @Override
  public synchronized String toString() {
    return active.isEmpty() ? "none" : String.join(", ", active.stream().map(Fault::toString).toList());
  }

  private void publish() {
    Map<FaultType, Set<String>> next = new EnumMap<>(FaultType.class);
    for (Fault fault : active) {
      next.computeIfAbsent(fault.type(), t -> new LinkedHashSet<>()).add(fault.service());
    }
    next.replaceAll((type, services) -> Collections.unmodifiableSet(services));
    targets = Collections.unmodifiableMap(next);
  }
}
