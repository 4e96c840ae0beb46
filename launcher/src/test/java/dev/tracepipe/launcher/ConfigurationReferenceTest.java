package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.testkit.GoldenFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CONFIGURATION.md is what the settings records declare, so the document cannot drift from the code. */
class ConfigurationReferenceTest {

  @Test
  void configurationMdMatchesTheDeclaredSettings() {
    GoldenFile.assertMatches(Path.of("../CONFIGURATION.md"), Configuration.reference());
  }

  @Test
  void everyKeyIsDeclaredOnceAndEveryStageUsesOneOfItsOwnPrefixes() {
    Set<String> keys = new HashSet<>();
    for (Setting setting : Configuration.all()) {
      assertThat(keys.add(setting.key())).as("declared twice: %s", setting.key()).isTrue();
      assertThat(setting.doc()).as("doc of %s", setting.key()).isNotBlank();
    }
    Configuration.sections().forEach((title, settings) -> {
      if (!title.equals("Every stage")) {
        List<String> prefixes = List.of("ingest.", "aggregator.", "dependencies.", "latency.", "alerts.");
        assertThat(settings).allSatisfy(s -> assertThat(prefixes).anyMatch(p -> s.key().startsWith(p)));
      }
    });
  }
}
