package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import java.util.List;

/** Where generated traces go: a Kafka topic in one of the input formats, an OTLP/HTTP endpoint, or nowhere. */
public interface SpanSink extends AutoCloseable {

  /** Hands over the spans of whole traces; may return before they are acknowledged. Thread-safe. */
  void send(List<List<Span>> traces);

  /** Blocks until everything handed over so far is acknowledged or has failed. */
  void flush();

  /** Spans handed over that were then lost (already logged); zero when everything arrived. */
  long failedSpans();

  @Override
  void close();
}
