package dev.tracepipe.platform;

import java.util.List;
import java.util.Map;

/** Renders settings as the Markdown configuration reference, so that the document is made from the declarations. */
public final class ConfigurationReference {
  private ConfigurationReference() {}

  /** One section per title, in the map's order, each a table of its settings in declaration order. */
  public static String markdown(String introduction, Map<String, List<Setting>> sections) {
    StringBuilder out = new StringBuilder(introduction.strip()).append("\n");
    sections.forEach((title, settings) -> {
      out.append("\n## ").append(title).append("\n\n");
      out.append("| key | default | meaning |\n|---|---|---|\n");
      for (Setting s : settings) {
        out.append("| `").append(s.key()).append("` | ")
            .append(s.defaultValue().isEmpty() ? "" : "`" + s.defaultValue() + "`").append(" | ")
            .append(s.doc().replace("|", "\\|"));
        if (s.formerKey() != null) {
          out.append(" (formerly `").append(s.formerKey()).append("`, still read with a warning)");
        }
        out.append(" |\n");
      }
    });
    return out.toString();
  }
}
