package dev.tracepipe.registry;

/** A version path segment: a number from 1 up, or "latest" (also spelt -1, as Confluent allows). */
record VersionSpec(int number) {
  static final VersionSpec LATEST = new VersionSpec(-1);

  boolean isLatest() {
    return number == -1;
  }

  /** Parses a path segment or throws 422 42202. */
  static VersionSpec parse(String text) {
    if ("latest".equals(text)) {
      return LATEST;
    }
    int number;
    try {
      number = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw RegistryException.invalidVersion(text);
    }
    if (number == -1) {
      return LATEST;
    }
    if (number < 1) {
      throw RegistryException.invalidVersion(text);
    }
    return new VersionSpec(number);
  }
}
