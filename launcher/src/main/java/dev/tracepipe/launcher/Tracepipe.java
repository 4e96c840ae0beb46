package dev.tracepipe.launcher;

import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.workload.GeneratorCli;
import dev.tracepipe.platform.TracepipeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The {@code tracepipe} command: run everything on one machine, tail a topic, or run one stage on its own. */
public final class Tracepipe {
  private static final String USAGE = """
      usage: tracepipe <command> [options]

      commands:
        demo       everything plus a simulated shop with a fault, and live panels of what tracepipe sees
        run        embedded Kafka broker and schema registry plus every stage, in one process
        tail       print a topic's records as JSON lines
        generate   send realistic spans from a simulated shop, with injectable faults
        bench      measure throughput, latency, memory and per-span cost on this machine (takes about 7 minutes)
        broker     only the embedded Kafka broker and schema registry
        stage      run one stage on its own against external Kafka and registry (for deployments)
        help       this text; every command also takes --help

      Configuration comes from built-in defaults, then --config FILE (properties), then TRACEPIPE_* environment
      variables (TRACEPIPE_BOOTSTRAP_SERVERS overrides bootstrap.servers), then command-line options.
      """;

  private Tracepipe() {}

  public static void main(String[] argv) throws Exception {
    StageRunner.trustAvroPackages();
    if (argv.length == 0 || Set.of("help", "--help", "-h").contains(argv[0])) {
      System.out.print(USAGE);
      return;
    }
    try {
      int status = switch (argv[0]) {
        case "demo" -> DemoCommand.main(argv);
        case "run" -> AllInOne.main(argv);
        case "bench" -> Bench.main(argv);
        case "broker" -> BrokerCommand.main(argv);
        case "tail" -> tail(argv);
        case "stage" -> Stages.runStandalone(argv);
        case "generate" -> GeneratorCli.run(Arrays.copyOfRange(argv, 1, argv.length), System.out, System.err);
        default -> {
          System.err.print("tracepipe: unknown command " + argv[0] + "\n\n" + USAGE);
          yield 2;
        }
      };
      if (status != 0) {
        System.exit(status);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("tracepipe " + argv[0] + ": " + e.getMessage());
      System.exit(2);
    }
  }

  static final Set<String> CONNECTION_OPTIONS = Set.of("config", "bootstrap-servers", "schema-registry-url");

  /** Configuration from defaults, file, environment and the connection options on the command line. */
  static TracepipeConfig config(Args args) {
    TracepipeConfig config = TracepipeConfig.load(args.option("config").map(Path::of).orElse(null), System.getenv());
    Map<String, String> cli = new HashMap<>();
    args.option("bootstrap-servers").ifPresent(v -> cli.put(TracepipeConfig.BOOTSTRAP_SERVERS, v));
    args.option("schema-registry-url").ifPresent(v -> cli.put(TracepipeConfig.SCHEMA_REGISTRY_URL, v));
    return config.with(cli);
  }

  private static int tail(String[] argv) {
    if (Args.wantsHelp(argv)) {
      System.out.print("""
          usage: tracepipe tail <topic> [--from-beginning] [--max N] [--timeout SECONDS]
                                [--bootstrap-servers HOST:PORT] [--schema-registry-url URL] [--config FILE]

          Prints each record of <topic> as one JSON object per line: topic, partition, offset, timestamp, key, value
          and headers. Avro values are decoded through the schema registry. Without --from-beginning only new records
          are shown. Stops after N records, or after SECONDS without a record (default: follow until Ctrl-C).
          """);
      return 0;
    }
    Set<String> valueOptions = new java.util.HashSet<>(CONNECTION_OPTIONS);
    valueOptions.addAll(Set.of("max", "timeout"));
    Args args = Args.parse(argv, 1, valueOptions, Set.of("from-beginning"));
    if (args.positional().size() != 1) {
      throw new IllegalArgumentException("name exactly one topic, e.g. tracepipe tail traces --from-beginning");
    }
    TracepipeConfig config = config(args);
    long max = Long.parseLong(args.option("max").orElse("0"));
    Duration timeout = Duration.ofSeconds(Long.parseLong(args.option("timeout").orElse("0")));
    return new TailCommand(config.kafkaClientProperties(), config.serdeConfig(), System.out)
        .run(args.positional().get(0), args.flag("from-beginning"), max, timeout);
  }
}
