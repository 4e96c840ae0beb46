package dev.tracepipe.ingest;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips an output record the broker refuses as too large instead of failing the stream thread, which would only read
 * the same input again and fail again. The size guard keeps canonical spans small, so in practice this is a dead letter
 * of a near-limit input message plus its headers; the log names the source record, still in its input topic.
 */
public final class OversizedRecordHandler extends DefaultProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(OversizedRecordHandler.class);

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RecordTooLargeException) {
      LOG.error("dropping a {}-byte record for {} that Kafka refuses as too large; its source is {}-{}@{}",
          record.value() == null ? 0 : record.value().length, record.topic(), context.topic(), context.partition(),
          context.offset(), exception);
      return Response.resume();
    }
    return super.handleError(context, record, exception);
  }
}
