package dev.tracepipe.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The headers of a dead-letter record: why, in which format, and where the bytes came from. */
final class DeadLetterHeaders {
  static final String REASON = "tracepipe.dlq.reason";
  static final String FORMAT = "tracepipe.dlq.format";
  static final String DETAIL = "tracepipe.dlq.detail";
  static final String SOURCE_TOPIC = "tracepipe.dlq.source.topic";
  static final String SOURCE_PARTITION = "tracepipe.dlq.source.partition";
  static final String SOURCE_OFFSET = "tracepipe.dlq.source.offset";
  static final String SOURCE_CLIENT = "tracepipe.dlq.source.client";
  private static final int MAX_DETAIL_CHARS = 1000;

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
    Headers headers = new RecordHeaders();
    add(headers, REASON, letter.reason().label());
    add(headers, FORMAT, letter.format().label());
    String detail = letter.detail();
    add(headers, DETAIL, detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS));
    return headers;
  }

  private static void add(Headers headers, String key, String value) {
    if (value != null) headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
