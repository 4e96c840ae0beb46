package dev.tracepipe.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** The Confluent compatibility levels and the Avro reader/writer checks each one implies. */
enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  static final CompatibilityLevel DEFAULT = BACKWARD;

  /** The new schema must read data written with the old one. */
  private final boolean newReadsOld;
  /** The old schema must read data written with the new one. */
  private final boolean oldReadsNew;
  /** Check against every earlier version rather than the latest only. */
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** Parses a level case-insensitively, as Confluent does; empty when the name is no level. */
  static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Lists why {@code candidate} may not follow {@code previous} (oldest first); empty when it may.
   * Non-transitive levels look at the newest previous schema only.
   */
  List<String> incompatibilities(Schema candidate, List<Schema> previous) {
    Objects.requireNonNull(candidate, "candidate == null");
    Objects.requireNonNull(previous, "previous == null");
    List<String> problems = new ArrayList<>();
    int from = transitive ? 0 : Math.max(0, previous.size() - 1);
    for (int i = from; i < previous.size(); i++) {
      Schema old = previous.get(i);
      if (newReadsOld) {
        describe(problems, candidate, old, "the new schema cannot read data written with an earlier one");
      }
      if (oldReadsNew) {
        describe(problems, old, candidate, "an earlier schema cannot read data written with the new one");
      }
    }
    return problems;
  }

  private static void describe(List<String> problems, Schema reader, Schema writer, String direction) {
    SchemaCompatibility.SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
      problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
          + ": " + incompatibility.getMessage());
    }
  }
}
