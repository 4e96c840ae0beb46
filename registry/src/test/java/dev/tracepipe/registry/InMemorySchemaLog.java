package dev.tracepipe.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A log in a list, read through the same codec as the Kafka one; several services may share it to model a restart. */
final class InMemorySchemaLog implements SchemaLog {
  record Entry(byte[] key, byte[] value) {}

  final List<Entry> entries = new ArrayList<>();
  private int position;
  /** When set, the next append fails as a broker outage would. */
  RegistryException nextFailure;
  /** Whether that failed append still reaches the log, as a write whose acknowledgement timed out may. */
  boolean failureLands;

  @Override
  public void catchUp(Consumer<LogRecord> sink) {
    while (position < entries.size()) {
      Entry entry = entries.get(position++);
      sink.accept(SchemaLogCodec.decode(entry.key(), entry.value()));
    }
  }

  @Override
  public void append(byte[] key, byte[] value) {
    if (nextFailure != null) {
      RegistryException failure = nextFailure;
      nextFailure = null;
      if (failureLands) {
        entries.add(new Entry(key, value));
      }
      throw failure;
    }
    // Not skipped by the reader: like the Kafka log, a writer reads its own records back later.
    entries.add(new Entry(key, value));
  }

  /** A fresh reader over the same records, as a restarted registry would have. */
  InMemorySchemaLog reopen() {
    InMemorySchemaLog copy = new InMemorySchemaLog();
    copy.entries.addAll(entries);
    return copy;
  }

  @Override
  public void close() {}
}
