package dev.tracepipe.launcher;

import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.TracepipeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracepipe stage <name>}: one stage on its own, against the configured Kafka and registry. */
@Command(name = "stage", mixinStandardHelpOptions = true,
    description = {"Runs one stage on its own against external Kafka and registry (for deployments).",
        "Configuration: built-in defaults, then FILE (properties), then TRACEPIPE_* environment variables.", ""})
final class StageCommand implements Callable<Integer> {
  @Parameters(paramLabel = "<name>", completionCandidates = Stages.Names.class,
      description = "one of: ${COMPLETION-CANDIDATES}")
  String name;
  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (properties)")
  Path config;

  @Override
  public Integer call() throws Exception {
    var stage = Stages.ALL.get(name);
    if (stage == null) {
      throw new IllegalArgumentException("no stage " + name + "; stages: " + String.join(", ", Stages.ALL.keySet()));
    }
    StageRunner runner = new StageRunner(TracepipeConfig.load(config, System.getenv()));
    runner.createTopics().start(stage);
    runner.awaitShutdown();
    return 0;
  }
}
