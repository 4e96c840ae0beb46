package dev.tracepipe.workload;

import dev.tracepipe.platform.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The command line of {@code tracepipe generate}, parsed and checked. */
record GeneratorOptions(Format format, double rate, boolean ratePerSpan, Duration duration, long maxTraces,
    int threads, String bootstrapServers, String schemaRegistryUrl, URI otlpUrl, List<Fault> faults,
    Duration faultAfter, Long seed, boolean dryRun, boolean quiet, Path config, ExportBatching batching,
    boolean help) {

  static final String USAGE = """
      Usage: tracepipe generate [options]
      Sends traces of a simulated online shop (11 services, a database, a cache, a Kafka topic) to tracepipe.

        --format FORMAT             avro | otlp | otlp-http | zipkin (default otlp)
        --rate N                    traces per second over all threads (default 100; 0 = as fast as possible)
        --span-rate N               spans per second instead of traces per second
        --duration D                how long to run, e.g. 90s or 5m (default 60s; 0 = until Ctrl-C)
        --traces N                  stop after N traces
        --threads N                 generator threads (default 1)
        --bootstrap-servers HOSTS   Kafka brokers (default: bootstrap.servers from the configuration)
        --schema-registry-url URL   schema registry, for --format avro (default: from the configuration)
        --otlp-url URL              OTLP/HTTP receiver for --format otlp-http (default http://localhost:4318)
        --fault TYPE:SERVICE        inject a fault; repeatable. Types: slow-host, slow-release, missing-call,
                                    failing-dependency. E.g. slow-host:payment, missing-call:auth,
                                    failing-dependency:shop-db
        --fault-after D             switch the faults on after D (default 0: from the start)
        --seed N                    seed for reproducible traffic (default: random)
        --batching MODE             honest (default): each span sent when it ends, batched per service as the
                                    OpenTelemetry SDK does (512 spans or 5 s) and again as the Collector does
                                    (8192 spans or 200 ms); honest:512/5s:8192/200ms sets those; trace: whole
                                    traces per message, which real tracers never send
        --dry-run                   generate and encode, send nothing: measures the generator alone
        --quiet                     no status line every second
        --config FILE               tracepipe properties file; TRACEPIPE_* environment variables also apply
        --help                      this text
      """;

  private static final Set<String> VALUE_OPTIONS = Set.of("--format", "--rate", "--span-rate", "--duration",
      "--traces", "--threads", "--bootstrap-servers", "--schema-registry-url", "--otlp-url", "--fault",
      "--fault-after", "--seed", "--config", "--batching");

  static GeneratorOptions parse(String... args) {
    Builder b = new Builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (isFlag(name)) {
        b.flag(name);
        continue;
      }
      if (!VALUE_OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + " (see --help)");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      b.option(name, value);
    }
    return b.build();
  }

  private static boolean isFlag(String name) {
    return name.equals("--dry-run") || name.equals("--quiet") || name.equals("--help") || name.equals("-h");
  }

  private static final class Builder {
    Format format = Format.OTLP;
    double rate = 100;
    boolean ratePerSpan;
    Duration duration = Duration.ofSeconds(60);
    long maxTraces;
    int threads = 1;
    String bootstrapServers;
    String schemaRegistryUrl;
    URI otlpUrl = URI.create("http://localhost:4318");
    final List<Fault> faults = new ArrayList<>();
    Duration faultAfter = Duration.ZERO;
    Long seed;
    boolean dryRun;
    boolean quiet;
    Path config;
    ExportBatching batching = ExportBatching.honest();
    boolean help;

    void flag(String name) {
      switch (name) {
        case "--dry-run" -> dryRun = true;
        case "--quiet" -> quiet = true;
        default -> help = true;
      }
    }

    void option(String name, String value) {
      try {
        switch (name) {
          case "--format" -> format = Format.parse(value);
          case "--rate" -> {
            rate = nonNegative(Double.parseDouble(value));
            ratePerSpan = false;
          }
          case "--span-rate" -> {
            rate = nonNegative(Double.parseDouble(value));
            ratePerSpan = true;
          }
          case "--duration" -> duration = Durations.parse(value);
          case "--traces" -> maxTraces = (long) nonNegative(Long.parseLong(value));
          case "--threads" -> threads = Integer.parseInt(value);
          case "--bootstrap-servers" -> bootstrapServers = value;
          case "--schema-registry-url" -> schemaRegistryUrl = value;
          case "--otlp-url" -> otlpUrl = URI.create(value);
          case "--fault" -> faults.add(Fault.parse(value));
          case "--fault-after" -> faultAfter = Durations.parse(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--config" -> config = Path.of(value);
          case "--batching" -> batching = ExportBatching.parse(value);
          default -> throw new IllegalArgumentException("unknown option " + name + " (see --help)");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " " + value + ": not a number", e);
      }
    }

    private static double nonNegative(double value) {
      if (value < 0) {
        throw new IllegalArgumentException("must not be negative: " + value);
      }
      return value;
    }

    GeneratorOptions build() {
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be at least 1");
      }
      return new GeneratorOptions(format, rate, ratePerSpan, duration.isZero() ? null : duration, maxTraces, threads,
          bootstrapServers, schemaRegistryUrl, otlpUrl, List.copyOf(faults), faultAfter, seed, dryRun, quiet, config,
          batching, help);
    }
  }
}
