package dev.tracepipe.launcher;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tracepipe run}: {@link AllInOne} until Ctrl-C or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"An embedded Kafka broker and schema registry plus every stage, in one process.",
        "Starts a Kafka broker (KRaft, data in DIR/kafka) on localhost:9092 and a schema registry on localhost:8081,",
        "unless --bootstrap-servers or --schema-registry-url name external ones, then every stage of the pipeline.",
        "Stages serve their HTTP APIs, /health and /metrics on localhost:8080; the span receivers listen on 4318",
        "(OTLP/HTTP) and 9411 (Zipkin). Ctrl-C or SIGTERM stops everything.", ""})
final class RunCommand implements Callable<Integer> {
  @Mixin
  LocalOptions local;

  @Override
  public Integer call() throws Exception {
    try (AllInOne all = AllInOne.start(local, Map.of())) {
      System.out.printf("tracepipe is running: Kafka %s, schema registry %s, HTTP %s (Ctrl-C stops)%n"
          + "Find and compare traces in Zipkin Lens: %s%n",
          all.bootstrapServers(), all.registryUrl(), all.runner().context().http().baseUrl(), all.uiUrl());
      all.runner().awaitShutdown();
    }
    return 0;
  }
}
