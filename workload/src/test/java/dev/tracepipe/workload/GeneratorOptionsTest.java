package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GeneratorOptionsTest {

  @Test
  void defaultsSendOtlpAtAHundredTracesASecondForAMinute() {
    GeneratorOptions options = GeneratorOptions.parse();
    assertThat(options.format()).isEqualTo(Format.OTLP);
    assertThat(options.rate()).isEqualTo(100);
    assertThat(options.ratePerSpan()).isFalse();
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.faults()).isEmpty();
    assertThat(options.seed()).isNull();
    assertThat(options.otlpUrl()).isEqualTo(URI.create("http://localhost:4318"));
    assertThat(options.batching()).isEqualTo(ExportBatching.honest());
  }

  @Test
  void batchingIsHonestTraceOrHonestWithItsOwnSizesAndDelays() {
    assertThat(GeneratorOptions.parse("--batching", "trace").batching()).isEqualTo(ExportBatching.TRACE);
    assertThat(GeneratorOptions.parse("--batching=honest:100/1s:1000/50ms").batching())
        .isEqualTo(new ExportBatching(false, 100, Duration.ofSeconds(1), 1000, Duration.ofMillis(50)));
    assertThatThrownBy(() -> GeneratorOptions.parse("--batching", "honest:100"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("honest:SPANS/DELAY:SPANS/TIMEOUT");
    assertThatThrownBy(() -> GeneratorOptions.parse("--batching", "honest:0/1s:10/1s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }

  @Test
  void parsesEveryOption() {
    GeneratorOptions options = GeneratorOptions.parse("--format", "zipkin", "--span-rate", "20000",
        "--duration=5m", "--traces", "1000", "--threads", "2", "--bootstrap-servers", "k:9092",
        "--schema-registry-url", "http://r:8081", "--otlp-url", "http://c:4318", "--fault", "slow-host:payment",
        "--fault", "missing-call:auth", "--fault-after", "30s", "--seed", "42", "--dry-run", "--quiet");
    assertThat(options.format()).isEqualTo(Format.ZIPKIN);
    assertThat(options.rate()).isEqualTo(20000);
    assertThat(options.ratePerSpan()).isTrue();
    assertThat(options.duration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.maxTraces()).isEqualTo(1000);
    assertThat(options.threads()).isEqualTo(2);
    assertThat(options.bootstrapServers()).isEqualTo("k:9092");
    assertThat(options.schemaRegistryUrl()).isEqualTo("http://r:8081");
    assertThat(options.otlpUrl()).isEqualTo(URI.create("http://c:4318"));
    assertThat(options.faults()).containsExactly(Fault.parse("slow-host:payment"), Fault.parse("missing-call:auth"));
    assertThat(options.faultAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.seed()).isEqualTo(42L);
    assertThat(options.dryRun()).isTrue();
    assertThat(options.quiet()).isTrue();
  }

  @Test
  void aZeroDurationRunsUntilStopped() {
    assertThat(GeneratorOptions.parse("--duration", "0s").duration()).isNull();
    assertThat(GeneratorOptions.parse("--format", "otlp-http").format()).isEqualTo(Format.OTLP_HTTP);
  }

  @Test
  void rejectsWhatItCannotUse() {
    assertThatThrownBy(() -> GeneratorOptions.parse("--format", "jaeger")).hasMessageContaining("avro, otlp");
    assertThatThrownBy(() -> GeneratorOptions.parse("--rate")).hasMessageContaining("--rate needs a value");
    assertThatThrownBy(() -> GeneratorOptions.parse("--rate", "fast")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> GeneratorOptions.parse("--rate", "-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> GeneratorOptions.parse("--threads", "0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> GeneratorOptions.parse("--colour")).hasMessageContaining("unknown option --colour");
  }

  @Test
  void helpAndBadArgumentsAnswerWithoutSendingAnything() throws InterruptedException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    assertThat(GeneratorCli.run(new String[] {"--help"}, new java.io.PrintStream(out), new java.io.PrintStream(err)))
        .isZero();
    assertThat(out.toString()).contains("--fault TYPE:SERVICE", "--fault-after");
    assertThat(GeneratorCli.run(new String[] {"--bogus"}, new java.io.PrintStream(out), new java.io.PrintStream(err)))
        .isEqualTo(2);
    assertThat(err.toString()).contains("unknown option --bogus");
    assertThat(GeneratorCli.run(new String[] {"--fault", "slow-host:nowhere", "--dry-run"},
        new java.io.PrintStream(out), new java.io.PrintStream(err))).isEqualTo(2);
    assertThat(err.toString()).contains("slow-host:nowhere aims at no service");
  }

  @Test
  void aDryRunEncodesWithoutABroker() throws InterruptedException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = GeneratorCli.run(new String[] {"--format", "zipkin", "--dry-run", "--traces", "100", "--rate", "0",
        "--quiet", "--seed", "1"}, new java.io.PrintStream(out), System.err);
    assertThat(code).isZero();
    assertThat(out.toString()).contains("sent 100 traces", "0 spans lost");
  }
}
