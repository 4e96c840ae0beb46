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
        // A section's title names its prefixes, e.g. "latency-alerts (`latency.*`, `alerts.*`)".
        List<String> prefixes = java.util.regex.Pattern.compile("`([a-z.-]+\\.)\\*`").matcher(title).results()
            .map(m -> m.group(1)).toList();
        assertThat(prefixes).as("prefixes named by %s", title).isNotEmpty();
        assertThat(settings).allSatisfy(s -> assertThat(prefixes).anyMatch(p -> s.key().startsWith(p)));
      }
    });
  }
}
