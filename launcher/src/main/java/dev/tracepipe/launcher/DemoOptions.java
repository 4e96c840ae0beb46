package dev.tracepipe.launcher;

import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Format;
import java.time.Duration;

/**
 * What {@code tracepipe demo} was asked to do: the traffic, the fault and when it starts, how long to run and how to
 * draw; the broker, registry and port options are passed on to the all-in-one start.
 *
 * @param fault the fault to switch on, or null for none
 * @param duration how long to run, or null until Ctrl-C
 */
record DemoOptions(LocalOptions local, Fault fault, Duration faultAfter, double rate, Format format, Duration duration,
    Duration refresh, boolean plain) {}
