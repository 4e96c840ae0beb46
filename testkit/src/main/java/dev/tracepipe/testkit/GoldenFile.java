package dev.tracepipe.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated text with a file kept in the repository (a topology description, the configuration reference).
 * Run with {@code -Dgolden.update=true} to rewrite the files from what the code produces now, then review the diff.
 */
public final class GoldenFile {
  public static final String UPDATE_PROPERTY = "golden.update";

  private GoldenFile() {}

  /** Fails unless {@code file} holds {@code actual} (line endings and trailing blank lines aside), or rewrites it. */
  public static void assertMatches(Path file, String actual) {
    String normalized = normalize(actual);
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, normalized, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError("golden file " + file + " is missing; run with -D" + UPDATE_PROPERTY
            + "=true to write it");
      }
      assertEquals(normalize(Files.readString(file, StandardCharsets.UTF_8)), normalized,
          () -> file + " differs from what the code produces; if the change is intended, run with -D"
              + UPDATE_PROPERTY + "=true and review the diff");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String normalize(String text) {
    return text.replace("\r\n", "\n").stripTrailing() + "\n";
  }
}
