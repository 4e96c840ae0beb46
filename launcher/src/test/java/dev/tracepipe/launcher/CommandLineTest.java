package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: help, typo suggestions, completion and the demo's option checks. */
class CommandLineTest {

  @Test
  void everyCommandIsListedInTheHelp() {
    String help = Tracepipe.commandLine().getUsageMessage();
    for (String command : new String[] {"demo", "run", "tail", "generate", "bench", "broker", "stage", "completion"}) {
      assertThat(help).contains(command);
    }
  }

  @Test
  void aMistypedCommandOrOptionGetsSuggestionsAndStatusTwo() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = Tracepipe.commandLine().setErr(new PrintWriter(err));

    assertThat(commandLine.execute("demoo")).isEqualTo(2);
    assertThat(err.toString()).contains("demo");
    err.getBuffer().setLength(0);
    assertThat(commandLine.execute("run", "--kafka-prot", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-port");
  }

  @Test
  void completionScriptKnowsTheCommandsAndTheStageNames() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = Tracepipe.commandLine().setOut(new PrintWriter(out));

    assertThat(commandLine.execute("completion")).isZero();
    assertThat(out.toString()).contains("tracepipe", "bench", "--from-beginning", "latency-alerts");
  }

  @Test
  void anUnknownStageIsAUsageError() {
    StringWriter err = new StringWriter();
    assertThat(Tracepipe.commandLine().setErr(new PrintWriter(err)).execute("stage", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("no stage nope", "aggregator");
  }

  @Test
  void demoOptionsDefaultToASlowPaymentHostAndRefuseFaultsAimedAtNothing() {
    DemoOptions defaults = DemoCommand.parse();
    assertThat(defaults.fault()).hasToString("slow-host:payment");
    assertThat(defaults.faultAfter()).hasSeconds(30);
    assertThat(defaults.duration()).isNull();
    assertThat(defaults.local().broker.kafkaPort).isEqualTo(9092);
    assertThat(DemoCommand.parse("--fault", "none", "--duration", "2m").fault()).isNull();
    assertThatThrownBy(() -> DemoCommand.parse("--fault", "slow-host:shop-db"))
        .hasMessageContaining("aims at no service");
    assertThatThrownBy(() -> DemoCommand.parse("--rate", "0"))
        .hasMessageContaining("--rate must be positive");
  }
}
