package dev.tracepipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fails the build when a schema change could not read data written with a released version (BACKWARD). */
class SchemaEvolutionTest {
  private static final Path CURRENT = Path.of("src/main/avro");
  private static final Path RELEASED = Path.of("src/released");

  static Stream<Path> releasedVersions() throws IOException {
    try (Stream<Path> dirs = Files.list(RELEASED)) {
      return dirs.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("releasedVersions")
  void currentSchemasReadEveryReleasedVersion(Path released) throws IOException {
    List<Schema> old = parseAll(released);
    List<Schema> current = parseAll(CURRENT);
    assertThat(old).isNotEmpty();
    for (Schema writer : old) {
      Schema reader = current.stream().filter(s -> s.getFullName().equals(writer.getFullName())).findFirst()
          .orElseThrow(() -> new AssertionError(writer.getFullName() + " of " + released + " was removed"));
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      assertThat(result.getType())
          .as("%s: current schema must read data written with %s: %s", writer.getFullName(), released,
              result.getResult().getIncompatibilities())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  /** Parses a folder's schemas in dependency order: shared types first, then Span, then the rest. */
  static List<Schema> parseAll(Path dir) throws IOException {
    Schema.Parser parser = new Schema.Parser();
    List<Schema> schemas = new ArrayList<>();
    for (Path file : ordered(dir)) {
      schemas.add(parser.parse(file.toFile()));
    }
    return schemas;
  }

  private static List<Path> ordered(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> common = Files.list(dir.resolve("common"))) {
      common.sorted().forEach(files::add);
    }
    files.add(dir.resolve("Span.avsc"));
    try (Stream<Path> rest = Files.list(dir)) {
      rest.filter(p -> p.toString().endsWith(".avsc") && !p.endsWith("Span.avsc")).sorted().forEach(files::add);
    }
    return files;
  }
}
