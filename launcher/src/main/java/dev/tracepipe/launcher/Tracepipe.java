package dev.tracepipe.launcher;

import dev.tracepipe.bench.BenchCommand;
import dev.tracepipe.bench.Launcher;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.workload.GeneratorCli;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code tracepipe} command: run everything on one machine, tail a topic, or run one stage on its own. */
@Command(name = "tracepipe", mixinStandardHelpOptions = true, version = "tracepipe 0.1.0",
    description = "A distributed-tracing back end on Kafka Streams.",
    footer = {"", "Configuration comes from built-in defaults, then --config FILE (properties), then TRACEPIPE_*",
        "environment variables (TRACEPIPE_BOOTSTRAP_SERVERS overrides bootstrap.servers), then command-line options.",
        "Every key is listed in CONFIGURATION.md. Every command takes --help."},
    subcommands = {DemoCommand.class, RunCommand.class, Tracepipe.Tail.class, Tracepipe.Generate.class,
        BrokerCommand.class, StageCommand.class, CommandLine.HelpCommand.class})
public final class Tracepipe implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] argv) {
    StageRunner.trustAvroPackages();
    int status = commandLine().execute(argv);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** The whole command tree: every subcommand, the value converters, and how errors are reported. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Tracepipe());
    commandLine.addSubcommand(BenchCommand.commandLine(
        new Launcher(Tracepipe.class.getName(), BrokerCommand.READY)));
    commandLine.addSubcommand("completion", new AutoComplete.GenerateCompletion());
    commandLine.getSubcommands().get("completion").getCommandSpec().usageMessage()
        .description("prints a bash/zsh completion script: source <(tracepipe completion)");
    commandLine.getSubcommands().get("generate").setUnmatchedOptionsArePositionalParams(true);
    withConverters(commandLine);
    // A bad value found after parsing (an unknown fault target, say) is a usage error like a bad option.
    commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
      if (e instanceof IllegalArgumentException) {
        cl.getErr().println("tracepipe " + cl.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return commandLine;
  }

  static CommandLine withConverters(CommandLine commandLine) {
    return BenchCommand.withConverters(commandLine);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code tracepipe tail}: a topic's records as JSON lines. */
  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = {"Prints each record of <topic> as one JSON object per line: topic, partition, offset, timestamp,",
          "key, value and headers. Avro values are decoded through the schema registry. Without --from-beginning",
          "only new records are shown. Stops after N records, or after SECONDS without a record (default: follow",
          "until Ctrl-C).", ""})
  static final class Tail implements Callable<Integer> {
    @Parameters(paramLabel = "<topic>", description = "the topic, e.g. traces")
    String topic;
    @Option(names = "--from-beginning", description = "start at the first record kept")
    boolean fromBeginning;
    @Option(names = "--max", paramLabel = "N", description = "stop after N records")
    long max;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop after SECONDS without a record")
    long timeout;
    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
      var config = connection.config();
      return new TailCommand(config.kafkaClientProperties(), config.serdeConfig(), System.out).run(topic, fromBeginning, max, Duration.ofSeconds(timeout));
    }
  }

  /** {@code tracepipe generate}: the workload generator, which reads its own options. */
  @Command(name = "generate", description = "send realistic spans from a simulated shop, with injectable faults "
      + "(tracepipe generate --help lists its options)")
  static final class Generate implements Callable<Integer> {
    @Parameters(paramLabel = "OPTIONS", description = "the generator's options")
    List<String> args = List.of();

    @Override
    public Integer call() throws InterruptedException {
      return GeneratorCli.run(args.toArray(String[]::new), System.out, System.err);
    }
  }
}
