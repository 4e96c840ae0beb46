package dev.tracepipe.registry;

import java.util.function.Consumer;

/** The durable, ordered record log the registry state is rebuilt from. */
interface SchemaLog extends AutoCloseable {

  /** Hands every record written since the previous call to {@code sink}, in log order. */
  void catchUp(Consumer<LogRecord> sink);

  /**
   * Writes one record and returns once it is durable; {@code value} null writes a tombstone.
   *
   * @throws RegistryException 50001 or 50002 when the write failed or timed out
   */
  void append(byte[] key, byte[] value);

  @Override
  void close();
}
