package dev.tracepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.registry.SchemaRegistryService.SchemaRequest;
import dev.tracepipe.registry.SchemaRegistryService.VersionView;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaRegistryServiceTest {
  private static final String V1 = """
      {"type": "record", "name": "Order", "namespace": "shop",
       "fields": [{"name": "id", "type": "string"}]}""";
  private static final String V1_REFORMATTED = """
      {"namespace":"shop","name":"Order","type":"record","fields":[{"type":"string","name":"id"}]}""";
  private static final String V2 = """
      {"type": "record", "name": "Order", "namespace": "shop",
       "fields": [{"name": "id", "type": "string"}, {"name": "total", "type": "long", "default": 0}]}""";
  private static final String V2_REQUIRED_TOTAL = """
      {"type": "record", "name": "Order", "namespace": "shop",
       "fields": [{"name": "id", "type": "string"}, {"name": "total", "type": "long"}]}""";
  private static final String OTHER = """
      {"type": "record", "name": "Customer", "namespace": "shop",
       "fields": [{"name": "name", "type": "string"}]}""";

  private final InMemorySchemaLog log = new InMemorySchemaLog();
  private final SchemaRegistryService service = new SchemaRegistryService(log);

  private static SchemaRequest avro(String schema) {
    return new SchemaRequest(schema, null, false);
  }

  @Test
  void idsStartAtOneAndVersionsCountPerSubject() {
    assertThat(service.register("orders-value", avro(V1))).isEqualTo(1);
    assertThat(service.register("orders-value", avro(V2))).isEqualTo(2);
    assertThat(service.register("customers-value", avro(OTHER))).isEqualTo(3);

    assertThat(service.versionNumbers("orders-value")).containsExactly(1, 2);
    assertThat(service.version("orders-value", VersionSpec.LATEST))
        .isEqualTo(new VersionView("orders-value", 2, 2, service.schemaById(2)));
    assertThat(service.subjects()).containsExactly("customers-value", "orders-value");
  }

  @Test
  void reRegisteringTheSameSchemaReturnsItsIdWithoutANewVersion() {
    int id = service.register("orders-value", avro(V1));
    int entries = log.entries.size();

    assertThat(service.register("orders-value", avro(V1_REFORMATTED))).isEqualTo(id);
    assertThat(service.versionNumbers("orders-value")).containsExactly(1);
    assertThat(log.entries).hasSize(entries);
  }

  @Test
  void theSameSchemaUnderAnotherSubjectReusesTheIdWithItsOwnVersion() {
    int id = service.register("orders-value", avro(V1));
    service.register("orders-value", avro(V2));

    assertThat(service.register("archive-value", avro(V1))).isEqualTo(id);
    assertThat(service.version("archive-value", new VersionSpec(1)).id()).isEqualTo(id);
    assertThat(service.versionsOfId(id)).extracting(VersionView::subject)
        .containsExactlyInAnyOrder("orders-value", "archive-value");
  }

  @Test
  void anIncompatibleSchemaIsRejectedWith409AndNotStored() {
    service.register("orders-value", avro(V1));
    int entries = log.entries.size();

    assertThatThrownBy(() -> service.register("orders-value", avro(V2_REQUIRED_TOTAL)))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.errorCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains("incompatible with an earlier schema", "orders-value", "total");
        });
    assertThat(log.entries).hasSize(entries);
    assertThat(service.versionNumbers("orders-value")).containsExactly(1);
  }

  @Test
  void theSubjectLevelOverridesTheGlobalOne() {
    service.register("orders-value", avro(V1));
    service.setLevel("orders-value", "none");

    assertThat(service.subjectLevel("orders-value", false)).isEqualTo(CompatibilityLevel.NONE);
    assertThat(service.register("orders-value", avro(V2_REQUIRED_TOTAL))).isEqualTo(2);

    assertThat(service.deleteSubjectLevel("orders-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThatThrownBy(() -> service.subjectLevel("orders-value", false))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40408));
    assertThat(service.subjectLevel("orders-value", true)).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void compatibilityTestsFollowTheLevelWithoutStoringAnything() {
    service.register("orders-value", avro(V1));
    int entries = log.entries.size();

    assertThat(service.testCompatibility("orders-value", VersionSpec.LATEST, avro(V2)).compatible()).isTrue();
    assertThat(service.testCompatibility("orders-value", new VersionSpec(1), avro(V2_REQUIRED_TOTAL)).messages())
        .singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(service.testCompatibility("new-subject", VersionSpec.LATEST, avro(V2)).compatible()).isTrue();
    assertThatThrownBy(() -> service.testCompatibility("orders-value", new VersionSpec(7), avro(V2)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
    assertThat(log.entries).hasSize(entries);
  }

  @Test
  void lookupFindsTheVersionOrSaysWhatIsMissing() {
    service.register("orders-value", avro(V1));

    assertThat(service.lookup("orders-value", avro(V1_REFORMATTED)))
        .extracting(VersionView::version, VersionView::id).containsExactly(1, 1);
    assertThatThrownBy(() -> service.lookup("orders-value", avro(V2)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> service.lookup("nobody-value", avro(V1)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
  }

  @Test
  void invalidAndNonAvroSchemasAreRejectedWith42201() {
    for (SchemaRequest bad : List.of(avro("{\"type\": \"record\"}"), avro("not json"), avro(""),
        new SchemaRequest("syntax = \"proto3\";", "PROTOBUF", false), new SchemaRequest(V1, null, true))) {
      assertThatThrownBy(() -> service.register("orders-value", bad))
          .as(bad.toString())
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.errorCode()).isEqualTo(42201);
          });
    }
    assertThat(service.register("orders-value", new SchemaRequest(V1, "AVRO", false))).isEqualTo(1);
  }

  @Test
  void softDeleteHidesVersionsButKeepsIdsAndVersionNumbering() {
    service.register("orders-value", avro(V1));
    service.register("orders-value", avro(V2));

    assertThat(service.deleteSubject("orders-value", false)).containsExactly(1, 2);
    assertThat(service.subjects()).isEmpty();
    assertThat(service.schemaById(1)).contains("Order");
    assertThatThrownBy(() -> service.versionNumbers("orders-value"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));

    // Re-registering after a delete starts a new version but keeps the schema's id, as Confluent does.
    assertThat(service.register("orders-value", avro(V1))).isEqualTo(1);
    assertThat(service.versionNumbers("orders-value")).containsExactly(3);
  }

  @Test
  void permanentDeleteNeedsASoftDeleteFirstAndNeverFreesTheId() {
    service.register("orders-value", avro(V1));
    assertThatThrownBy(() -> service.deleteSubject("orders-value", true))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40405));

    service.deleteSubject("orders-value", false);
    assertThat(service.deleteSubject("orders-value", true)).containsExactly(1);
    assertThatThrownBy(() -> service.schemaById(1))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThat(service.register("customers-value", avro(OTHER))).isEqualTo(2);
  }

  @Test
  void aRestartedServiceRebuildsTheSameStateFromTheLog() {
    service.register("orders-value", avro(V1));
    service.register("orders-value", avro(V2));
    service.register("customers-value", avro(OTHER));
    service.setLevel(null, "FULL");
    service.setLevel("customers-value", "NONE");
    service.deleteSubject("customers-value", false);

    SchemaRegistryService restarted = new SchemaRegistryService(log.reopen());

    assertThat(restarted.versionNumbers("orders-value")).containsExactly(1, 2);
    assertThat(restarted.schemaById(2)).isEqualTo(service.schemaById(2));
    assertThat(restarted.subjects()).containsExactly("orders-value");
    assertThat(restarted.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(restarted.subjectLevel("customers-value", false)).isEqualTo(CompatibilityLevel.NONE);
    assertThat(restarted.register("orders-value", avro(V1))).isEqualTo(1);
    assertThat(restarted.register("payments-value", avro(V2_REQUIRED_TOTAL))).isEqualTo(4);
  }

  @Test
  void aFailedWriteChangesNothingAndTheNextOneSucceeds() {
    log.nextFailure = RegistryException.storeError("broker down", null);

    assertThatThrownBy(() -> service.register("orders-value", avro(V1)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(50001));
    assertThatThrownBy(() -> service.versionNumbers("orders-value")).isInstanceOf(RegistryException.class);
    assertThat(service.register("orders-value", avro(V1))).isEqualTo(1);
  }

  @Test
  void aTimedOutWriteThatLandedAnywayIsPickedUpBeforeTheNextWrite() {
    log.nextFailure = RegistryException.storeTimeout("no acknowledgement", null);
    log.failureLands = true;
    assertThatThrownBy(() -> service.register("orders-value", avro(V1)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(50002));

    // Id 1 went to the landed write: the next schema must not get it too.
    assertThat(service.register("customers-value", avro(OTHER))).isEqualTo(2);
    assertThat(service.register("orders-value", avro(V1))).isEqualTo(1);
  }
}
