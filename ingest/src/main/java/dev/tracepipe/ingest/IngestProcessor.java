package dev.tracepipe.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one input message into canonical spans, one trace fragment per trace id, and everything it cannot accept into
 * dead letters.
 * A poison message never throws, so it can never stop the application; only a failure outside the message (schema
 * registry unreachable) is thrown, so that the stream thread is replaced and the message retried.
 */
final class IngestProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(IngestProcessor.class);

  private final Function<byte[], Decoded> decoder;
  private final InputFormat formatOfEmpty;
  private final SpanIngestor ingestor;
  private final TraceFragments fragments;
  private final IngestMetrics metrics;
  private final String fragmentSink;
  private final String deadLetterSink;
  private ProcessorContext<Object, Object> context;

  /**
   * @param formatOfEmpty the format named on the dead letter of an empty message, which has no encoding to detect
   */
  IngestProcessor(Function<byte[], Decoded> decoder, InputFormat formatOfEmpty, SpanIngestor ingestor,
      TraceFragments fragments, IngestMetrics metrics, String fragmentSink, String deadLetterSink) {
    this.decoder = Objects.requireNonNull(decoder, "decoder == null");
    this.formatOfEmpty = Objects.requireNonNull(formatOfEmpty, "formatOfEmpty == null");
    this.ingestor = Objects.requireNonNull(ingestor, "ingestor == null");
    this.fragments = Objects.requireNonNull(fragments, "fragments == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    this.fragmentSink = Objects.requireNonNull(fragmentSink, "fragmentSink == null");
    this.deadLetterSink = Objects.requireNonNull(deadLetterSink, "deadLetterSink == null");
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    byte[] message = record.value();
    if (message == null || message.length == 0) {
      deadLetter(record, new DeadLetter(formatOfEmpty, RejectReason.EMPTY_MESSAGE, "null or empty record value",
          new byte[0], null));
      return;
    }
    SpanIngestor.Result result;
    try {
      // The record timestamp (producer or broker time) centres the plausibility window: no wall clock here.
      result = ingestor.ingest(decoder.apply(message), record.timestamp());
    } catch (RetriableDecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("unexpected failure ingesting a {} message at {}; sent to the dead-letter topic", formatOfEmpty,
          where(), e);
      deadLetter(record, new DeadLetter(formatOfEmpty, RejectReason.INTERNAL_ERROR, String.valueOf(e), message, null));
      return;
    }
    for (TraceFragments.Encoded fragment : fragments.encode(result.accepted())) {
      context.forward(new Record<Object, Object>(fragment.traceId(), fragment.value(), record.timestamp()),
          fragmentSink);
    }
    for (DeadLetter letter : result.rejected()) {
      deadLetter(record, letter);
    }
  }

  private void deadLetter(Record<byte[], byte[]> source, DeadLetter letter) {
    if (letter.reason() == RejectReason.EMPTY_MESSAGE || letter.reason() == RejectReason.INTERNAL_ERROR) {
      metrics.rejected(letter.format(), letter.reason());
    }
    RecordMetadata meta = context.recordMetadata().orElse(null);
    Headers headers = meta == null ? DeadLetterHeaders.fromTopic(letter, null, -1, -1)
        : DeadLetterHeaders.fromTopic(letter, meta.topic(), meta.partition(), meta.offset());
    byte[] key = letter.traceId() != null ? letter.traceId().getBytes(StandardCharsets.UTF_8) : source.key();
    context.forward(new Record<Object, Object>(key, letter.payload(), source.timestamp(), headers), deadLetterSink);
  }

  private String where() {
    return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
  }
}
