package dev.tracepipe.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real-world samples in shared/testdata, found by walking up from the module directory. */
final class TestData {
  private TestData() {}

  static Path dir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("testdata");
      if (Files.isDirectory(candidate)) return candidate;
    }
    throw new IllegalStateException("no shared/testdata above " + Path.of("").toAbsolutePath());
  }

  static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(dir().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
