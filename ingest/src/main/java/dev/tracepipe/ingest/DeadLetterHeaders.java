package dev.tracepipe.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** The headers of a dead-letter record: why, in which format, and where the bytes came from. */
final class DeadLetterHeaders {
  // The names every stage shares live in the platform; ingest adds the input format and the HTTP client.
  static final String REASON = dev.tracepipe.platform.DeadLetterHeaders.REASON;
  static final String STAGE = dev.tracepipe.platform.DeadLetterHeaders.STAGE;
  static final String FORMAT = dev.tracepipe.platform.DeadLetterHeaders.FORMAT;
  static final String DETAIL = dev.tracepipe.platform.DeadLetterHeaders.DETAIL;
  static final String SOURCE_TOPIC = dev.tracepipe.platform.DeadLetterHeaders.SOURCE_TOPIC;
  static final String SOURCE_PARTITION = dev.tracepipe.platform.DeadLetterHeaders.SOURCE_PARTITION;
  static final String SOURCE_OFFSET = dev.tracepipe.platform.DeadLetterHeaders.SOURCE_OFFSET;
  static final String SOURCE_CLIENT = dev.tracepipe.platform.DeadLetterHeaders.SOURCE_CLIENT;

  private DeadLetterHeaders() {}

  /** Headers of a dead letter read from a Kafka topic. */
  static Headers fromTopic(DeadLetter letter, String topic, int partition, long offset) {
    Headers headers = common(letter);
    add(headers, SOURCE_TOPIC, topic);
    add(headers, SOURCE_PARTITION, Integer.toString(partition));
    add(headers, SOURCE_OFFSET, Long.toString(offset));
    return headers;
  }

  /** Headers of a dead letter received over HTTP, with the client's address. */
  static Headers fromHttp(DeadLetter letter, String path, String clientAddress) {
    Headers headers = common(letter);
    add(headers, SOURCE_TOPIC, "http:" + path);
    add(headers, SOURCE_CLIENT, clientAddress);
    return headers;
  }

  static String value(Headers headers, String key) {
    var header = headers.lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Headers common(DeadLetter letter) {
    return dev.tracepipe.platform.DeadLetterHeaders.common(letter.reason().label(), IngestStage.NAME,
        letter.format().label(), letter.detail());
  }

  private static void add(Headers headers, String key, String value) {
    if (value != null) headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
