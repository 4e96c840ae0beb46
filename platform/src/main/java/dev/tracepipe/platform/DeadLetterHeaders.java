package dev.tracepipe.platform;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers every stage puts on a dead-letter record: why, which stage, in which format, and where the original bytes
 * (the record's value) came from.
 */
public final class DeadLetterHeaders {
  public static final String REASON = "tracepipe.dlq.reason";
  public static final String STAGE = "tracepipe.dlq.stage";
  public static final String FORMAT = "tracepipe.dlq.format";
  public static final String DETAIL = "tracepipe.dlq.detail";
  public static final String SOURCE_TOPIC = "tracepipe.dlq.source.topic";
  public static final String SOURCE_PARTITION = "tracepipe.dlq.source.partition";
  public static final String SOURCE_OFFSET = "tracepipe.dlq.source.offset";
  public static final String SOURCE_CLIENT = "tracepipe.dlq.source.client";
  static final int MAX_DETAIL_CHARS = 1000;

  private DeadLetterHeaders() {}

  /** Reason, stage, format and detail (cut to a bounded length). */
  public static Headers common(String reason, String stage, String format, String detail) {
    Headers headers = new RecordHeaders();
    add(headers, REASON, reason);
    add(headers, STAGE, stage);
    add(headers, FORMAT, format);
    if (detail != null) {
      add(headers, DETAIL, detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS));
    }
    return headers;
  }

  /** Adds where a record read from Kafka came from. */
  public static Headers withSource(Headers headers, String topic, int partition, long offset) {
    add(headers, SOURCE_TOPIC, topic);
    if (partition >= 0) {
      add(headers, SOURCE_PARTITION, Integer.toString(partition));
    }
    if (offset >= 0) {
      add(headers, SOURCE_OFFSET, Long.toString(offset));
    }
    return headers;
  }

  public static String value(Headers headers, String key) {
    var header = headers.lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  public static void add(Headers headers, String key, String value) {
    if (value != null) {
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
