package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.SchemaRegistryException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Decodes one Avro Span in the Confluent wire format; the Span is then normalised like every other input. */
final class AvroSpanDecoder {
  private final Function<byte[], Span> deserializer;

  /** @param deserializer reads the Confluent wire format (magic byte, schema id, Avro binary) against the registry */
  AvroSpanDecoder(Function<byte[], Span> deserializer) {
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer == null");
  }

  Decoded decode(byte[] message) {
    Span span;
    try {
      span = deserializer.apply(message);
    } catch (SchemaRegistryException e) {
      // An unknown schema id is the message's fault; a registry that cannot answer is not.
      if (e.status() < 400 || e.status() >= 500) {
        throw new RetriableDecodeException("schema registry unavailable: " + e.getMessage(), e);
      }
      return Decoded.failed(DeadLetter.undecodable(InputFormat.AVRO, "not an Avro Span: " + describe(e), message));
    } catch (RuntimeException e) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.AVRO, "not an Avro Span: " + describe(e), message));
    }
    if (span == null) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.AVRO, "the deserializer returned no span", message));
    }
    return new Decoded(InputFormat.AVRO, List.of(new Decoded.Candidate(span, () -> message)), List.of());
  }

  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      out.append(": ").append(cause.getMessage());
    }
    return out.toString();
  }
}
