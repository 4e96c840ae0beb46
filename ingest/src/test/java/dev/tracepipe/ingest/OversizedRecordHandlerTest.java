package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class OversizedRecordHandlerTest {
  private final OversizedRecordHandler handler = new OversizedRecordHandler();
  private final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("spans-dlq", new byte[] {1, 2, 3});

  /** Where the record came from, as Kafka Streams describes it to the handler. */
  private static final ErrorHandlerContext SOURCE = new ErrorHandlerContext() {
    @Override public String topic() { return "otlp_spans"; }
    @Override public int partition() { return 2; }
    @Override public long offset() { return 42; }
    @Override public Headers headers() { return new RecordHeaders(); }
    @Override public String processorNodeId() { return IngestTopology.OTLP_DECODER; }
    @Override public TaskId taskId() { return new TaskId(0, 2); }
    @Override public long timestamp() { return Fixtures.NOW_MILLIS; }
    @Override public byte[] sourceRawKey() { return null; }
    @Override public byte[] sourceRawValue() { return new byte[] {1, 2, 3}; }
  };

  @Test
  void recordTooLargeIsSkippedSoTheThreadKeepsGoing() {
    handler.configure(java.util.Map.of());
    assertThat(handler.handleError(SOURCE, record, new RecordTooLargeException("too big")).result())
        .isEqualTo(ProductionExceptionHandler.Result.RESUME);
  }

  @Test
  void otherFatalErrorsStillFail() {
    handler.configure(java.util.Map.of());
    assertThat(handler.handleError(SOURCE, record, new IllegalStateException("broken")).result())
        .isEqualTo(ProductionExceptionHandler.Result.FAIL);
  }
}
