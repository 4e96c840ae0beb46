package dev.tracepipe.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/confluent_crosscheck.py} with Debian's {@code /usr/bin/python3} and its
 * {@code python3-confluent-kafka}: Confluent's own client, independent of ours.
 */
final class PythonConfluentClient {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path SCRIPT = Path.of("src/test/python/confluent_crosscheck.py");

  /** The exit code and output of one run. */
  record Run(int exitCode, String stdout, String stderr) {
    JsonNode json() {
      try {
        return RegistryHttp.JSON.readTree(stdout);
      } catch (IOException e) {
        throw new IllegalStateException("python printed no JSON: " + this, e);
      }
    }
  }

  private PythonConfluentClient() {}

  /** Runs one command; fails with stdout and stderr when it exits non-zero or outlives {@code timeout}. */
  static JsonNode call(Duration timeout, String stdin, String... args) {
    Run run = run(timeout, stdin, args);
    if (run.exitCode() != 0) {
      throw new AssertionError("python " + String.join(" ", args) + " exited " + run.exitCode()
          + "\nstdout: " + run.stdout() + "\nstderr: " + run.stderr());
    }
    return run.json();
  }

  static Run run(Duration timeout, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
    command.addAll(List.of(args));
    Path out = null;
    Path err = null;
    Path in = null;
    try {
      out = Files.createTempFile("python-out", ".json");
      err = Files.createTempFile("python-err", ".txt");
      in = Files.createTempFile("python-in", ".json");
      Files.writeString(in, stdin, UTF_8);
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("PYTHONIOENCODING", "utf-8");
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("python " + String.join(" ", args) + " did not finish within " + timeout
            + "\nstderr: " + Files.readString(err, UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    } finally {
      for (Path file : new Path[] {out, err, in}) {
        deleteQuietly(file);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temp file is harmless; say so rather than hide it.
      System.err.println("could not delete " + file + ": " + e);
    }
  }
}
