package dev.tracepipe.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.registry.LogRecord.ConfigRecord;
import dev.tracepipe.registry.LogRecord.DeleteSubjectRecord;
import dev.tracepipe.registry.LogRecord.OtherRecord;
import dev.tracepipe.registry.LogRecord.SchemaRecord;
import dev.tracepipe.registry.LogRecord.SchemaVersion;
import org.junit.jupiter.api.Test;

class SchemaLogCodecTest {
  private static final SchemaVersion VERSION = new SchemaVersion("spans-value", 3, 7, "\"string\"", null, false);

  @Test
  void keysHaveConfluentsLayoutAndFieldOrderBecauseCompactionComparesTheirBytes() {
    assertThat(new String(SchemaLogCodec.schemaKey("spans-value", 3), UTF_8))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"spans-value\",\"version\":3,\"magic\":1}");
    assertThat(new String(SchemaLogCodec.configKey(null), UTF_8))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
    assertThat(new String(SchemaLogCodec.configKey("spans-value"), UTF_8))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"spans-value\",\"magic\":0}");
  }

  @Test
  void schemaValuesRoundTrip() {
    byte[] value = SchemaLogCodec.schemaValue(VERSION);

    assertThat(new String(value, UTF_8)).isEqualTo(
        "{\"subject\":\"spans-value\",\"version\":3,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
    assertThat(SchemaLogCodec.decode(SchemaLogCodec.schemaKey("spans-value", 3), value))
        .isEqualTo(new SchemaRecord("spans-value", 3, VERSION));
    assertThat(SchemaLogCodec.decode(SchemaLogCodec.schemaKey("spans-value", 3),
        SchemaLogCodec.schemaValue(VERSION.asDeleted())))
        .isEqualTo(new SchemaRecord("spans-value", 3, VERSION.asDeleted()));
  }

  @Test
  void tombstonesDecodeAsRemovals() {
    assertThat(SchemaLogCodec.decode(SchemaLogCodec.schemaKey("spans-value", 3), null))
        .isEqualTo(new SchemaRecord("spans-value", 3, null));
    assertThat(SchemaLogCodec.decode(SchemaLogCodec.configKey("spans-value"), null))
        .isEqualTo(new ConfigRecord("spans-value", null));
  }

  @Test
  void configValuesRoundTrip() {
    assertThat(SchemaLogCodec.decode(SchemaLogCodec.configKey(null),
        SchemaLogCodec.configValue(CompatibilityLevel.FULL_TRANSITIVE)))
        .isEqualTo(new ConfigRecord(null, CompatibilityLevel.FULL_TRANSITIVE));
  }

  @Test
  void recordsWrittenByAConfluentRegistryAreRead() {
    assertThat(decode("{\"keytype\":\"NOOP\",\"magic\":0}", null)).isEqualTo(new OtherRecord("NOOP"));
    assertThat(decode("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"s\",\"magic\":0}",
        "{\"subject\":\"s\",\"version\":4}")).isEqualTo(new DeleteSubjectRecord("s", 4));
    assertThat(decode("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}",
        "{\"subject\":\"s\",\"version\":1,\"id\":9,\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax\",\"deleted\":false}"))
        .isEqualTo(new SchemaRecord("s", 1, new SchemaVersion("s", 1, 9, "syntax", "PROTOBUF", false)));
  }

  @Test
  void unreadableRecordsFailLoudly() {
    assertThatThrownBy(() -> decode("not json", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> decode("{\"keytype\":\"SCHEMA\",\"subject\":\"s\"}", "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    assertThatThrownBy(() -> decode("{\"keytype\":\"CONFIG\",\"subject\":null}", "{\"compatibilityLevel\":\"SIDEWAYS\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIDEWAYS");
  }

  private static LogRecord decode(String key, String value) {
    return SchemaLogCodec.decode(key.getBytes(UTF_8), value == null ? null : value.getBytes(UTF_8));
  }
}
