package dev.tracepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {
  private static final Schema ID_ONLY = record("""
      {"name": "id", "type": "string"}""");
  private static final Schema WITH_OPTIONAL_NOTE = record("""
      {"name": "id", "type": "string"}, {"name": "note", "type": "string", "default": ""}""");
  private static final Schema WITH_REQUIRED_NOTE = record("""
      {"name": "id", "type": "string"}, {"name": "note", "type": "string"}""");
  private static final Schema INT_COUNT = record("""
      {"name": "count", "type": "int"}""");
  private static final Schema LONG_COUNT = record("""
      {"name": "count", "type": "long"}""");

  private static Schema record(String fields) {
    return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Sample\", \"fields\": [" + fields + "]}");
  }

  @Test
  void addingAFieldWithADefaultIsFullyCompatible() {
    for (CompatibilityLevel level : CompatibilityLevel.values()) {
      assertThat(level.incompatibilities(WITH_OPTIONAL_NOTE, List.of(ID_ONLY))).as(level.name()).isEmpty();
    }
  }

  @Test
  void addingARequiredFieldBreaksBackwardButNotForward() {
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(WITH_REQUIRED_NOTE, List.of(ID_ONLY)))
        .singleElement().asString()
        .contains("new schema cannot read data written with an earlier one")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("note");
    assertThat(CompatibilityLevel.FULL.incompatibilities(WITH_REQUIRED_NOTE, List.of(ID_ONLY))).hasSize(1);
    assertThat(CompatibilityLevel.FORWARD.incompatibilities(WITH_REQUIRED_NOTE, List.of(ID_ONLY))).isEmpty();
    assertThat(CompatibilityLevel.NONE.incompatibilities(WITH_REQUIRED_NOTE, List.of(ID_ONLY))).isEmpty();
  }

  @Test
  void removingARequiredFieldBreaksForwardButNotBackward() {
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(ID_ONLY, List.of(WITH_REQUIRED_NOTE))).isEmpty();
    assertThat(CompatibilityLevel.FORWARD.incompatibilities(ID_ONLY, List.of(WITH_REQUIRED_NOTE)))
        .singleElement().asString().contains("an earlier schema cannot read data written with the new one");
    assertThat(CompatibilityLevel.FULL.incompatibilities(ID_ONLY, List.of(WITH_REQUIRED_NOTE))).hasSize(1);
  }

  @Test
  void wideningIntToLongIsBackwardOnly() {
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(LONG_COUNT, List.of(INT_COUNT))).isEmpty();
    assertThat(CompatibilityLevel.FORWARD.incompatibilities(LONG_COUNT, List.of(INT_COUNT)))
        .singleElement().asString().contains("TYPE_MISMATCH");
  }

  @Test
  void nonTransitiveLevelsLookAtTheLatestVersionOnly() {
    // v1 has no note, v2 added it with a default; v3 makes it required: fine for v2's data, not for v1's.
    List<Schema> history = List.of(ID_ONLY, WITH_OPTIONAL_NOTE);
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(WITH_REQUIRED_NOTE, history)).isEmpty();
    assertThat(CompatibilityLevel.FULL.incompatibilities(WITH_REQUIRED_NOTE, history)).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.incompatibilities(WITH_REQUIRED_NOTE, history)).hasSize(1);
    assertThat(CompatibilityLevel.FULL_TRANSITIVE.incompatibilities(WITH_REQUIRED_NOTE, history)).hasSize(1);
  }

  @Test
  void forwardTransitiveChecksThatEveryEarlierReaderCopes() {
    // Dropping the note is fine for v2's reader (it has a default) but not for v0's, which requires it.
    List<Schema> history = List.of(WITH_REQUIRED_NOTE, WITH_OPTIONAL_NOTE);
    assertThat(CompatibilityLevel.FORWARD.incompatibilities(ID_ONLY, history)).isEmpty();
    assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.incompatibilities(ID_ONLY, history)).hasSize(1);
  }

  @Test
  void anEmptyHistoryAcceptsAnything() {
    for (CompatibilityLevel level : CompatibilityLevel.values()) {
      assertThat(level.incompatibilities(WITH_REQUIRED_NOTE, List.of())).as(level.name()).isEmpty();
    }
  }

  @Test
  void renamingTheRecordIsIncompatibleEvenWithIdenticalFields() {
    Schema renamed = new Schema.Parser().parse(
        "{\"type\": \"record\", \"name\": \"Other\", \"fields\": [{\"name\": \"id\", \"type\": \"string\"}]}");
    assertThat(CompatibilityLevel.BACKWARD.incompatibilities(renamed, List.of(ID_ONLY)))
        .singleElement().asString().contains("NAME_MISMATCH");
  }

  @Test
  void levelsParseCaseInsensitivelyAndRejectUnknownNames() {
    assertThat(CompatibilityLevel.parse("full_transitive")).contains(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(CompatibilityLevel.parse(" Backward ")).contains(CompatibilityLevel.BACKWARD);
    assertThat(CompatibilityLevel.parse("SIDEWAYS")).isEmpty();
    assertThat(CompatibilityLevel.parse(null)).isEmpty();
    assertThat(CompatibilityLevel.DEFAULT).isEqualTo(CompatibilityLevel.BACKWARD);
  }
}
