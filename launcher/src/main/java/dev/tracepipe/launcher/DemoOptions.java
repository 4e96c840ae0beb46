package dev.tracepipe.launcher;

import dev.tracepipe.platform.Durations;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Format;
import dev.tracepipe.workload.SimulatedSystem;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * What {@code tracepipe demo} was asked to do: the traffic, the fault and when it starts, how long to run and how to
 * draw; the broker, registry and port options are passed on to the all-in-one start.
 *
 * @param fault the fault to switch on, or null for none
 * @param duration how long to run, or null until Ctrl-C
 */
record DemoOptions(Args args, Fault fault, Duration faultAfter, double rate, Format format, Duration duration,
    Duration refresh, boolean plain) {

  static final String HELP = """
      usage: tracepipe demo [--fault TYPE:SERVICE|none] [--fault-after 30s] [--rate 100] [--format otlp]
                            [--duration D] [--refresh 2s] [--plain] [--data-dir DIR] [--kafka-port 9092]
                            [--controller-port 9093] [--registry-port 8081] [--http-port 8080]

      Starts Kafka, a schema registry and every stage with short windows (3 s inactivity gap, 10 s latency and
      dependency windows), sends a simulated shop's traffic and, after --fault-after, puts it into trouble. The
      terminal shows, refreshed every couple of seconds: traces being assembled, the busiest dependency edges, the
      slowest operations and the latest latency alerts with the span they blame. Ctrl-C stops everything.

        --fault TYPE:SERVICE   slow-host, slow-release, missing-call or failing-dependency, aimed at a service
                               (gateway, frontend, auth, catalog, cart, payment, ...); default slow-host:payment
        --fault-after D        when the fault switches on, counted from the first trace (default 30s)
        --rate N               traces per second (default 100, about 2,000 spans per second)
        --format F             otlp, avro, zipkin (Kafka topics) or otlp-http (the OTLP/HTTP receiver)
        --duration D           stop after D (default: run until Ctrl-C)
        --refresh D            how often the screen is redrawn (default 2s)
        --plain                no screen clearing: print each refresh below the previous one (the default when
                               the output is not a terminal)
        --data-dir DIR         where Kafka and the stages keep data (default: a temporary directory, deleted at exit)
      """;

  static final Set<String> VALUE_OPTIONS = Set.of("fault", "fault-after", "rate", "format", "duration", "refresh",
      "data-dir", "kafka-port", "controller-port", "registry-port", "http-port");

  static DemoOptions parse(String[] argv) {
    Set<String> options = new HashSet<>(VALUE_OPTIONS);
    options.addAll(Tracepipe.CONNECTION_OPTIONS);
    Args args = Args.parse(argv, 1, options, Set.of("plain"));
    if (!args.positional().isEmpty()) {
      throw new IllegalArgumentException("unexpected argument " + args.positional().get(0) + " (see --help)");
    }
    String faultText = args.option("fault").orElse("slow-host:payment");
    Fault fault = "none".equals(faultText) ? null : Fault.parse(faultText);
    if (fault != null) {
      new SimulatedSystem(0).checkTarget(fault);
    }
    double rate = Double.parseDouble(args.option("rate").orElse("100"));
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be positive: " + rate);
    }
    Duration duration = args.option("duration").map(Durations::parse).orElse(null);
    return new DemoOptions(args, fault, Durations.parse(args.option("fault-after").orElse("30s")), rate,
        Format.parse(args.option("format").orElse("otlp")), duration == null || duration.isZero() ? null : duration,
        Durations.parse(args.option("refresh").orElse("2s")), args.flag("plain"));
  }
}
