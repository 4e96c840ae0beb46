package dev.tracepipe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import zipkin2.codec.BytesDecoder;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.SpanBytesDecoderDetector;

/**
 * Decodes one Zipkin reporter message (a list of spans) span by span, so one bad span does not cost its neighbours
 * and its dead letter holds that span alone. Zipkin's codec does the decoding; this class only splits the list and
 * checks ids first so that a bad id is reported as such rather than as an undecodable message.
 */
final class ZipkinDecoder {
  private static final List<String> ID_FIELDS = List.of("traceId", "id", "parentId");

  private ZipkinDecoder() {}

  /** Detects the encoding the way Zipkin's Kafka collector does, from the first bytes of the message. */
  static Decoded decode(byte[] message) {
    BytesDecoder<zipkin2.Span> detected;
    try {
      detected = SpanBytesDecoderDetector.decoderForListMessage(message);
    } catch (RuntimeException e) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.ZIPKIN_UNKNOWN,
          "not a Zipkin span list: " + e.getMessage(), message));
    }
    if (!(detected instanceof SpanBytesDecoder decoder)) {
      throw new IllegalStateException("unexpected Zipkin decoder " + detected);
    }
    return decode(message, decoder);
  }

  static Decoded decode(byte[] message, SpanBytesDecoder decoder) {
    return switch (decoder) {
      case JSON_V2 -> decodeJson(message, decoder, InputFormat.ZIPKIN_JSON_V2);
      case JSON_V1 -> decodeJson(message, decoder, InputFormat.ZIPKIN_JSON_V1);
      case PROTO3 -> decodeProto3(message);
      case THRIFT -> decodeWholeList(message);
    };
  }

  private static Decoded decodeJson(byte[] message, SpanBytesDecoder decoder, InputFormat format) {
    JsonNode list;
    try {
      list = OtlpJson.MAPPER.readTree(message);
    } catch (IOException e) {
      return Decoded.failed(DeadLetter.undecodable(format, "not JSON: " + e.getMessage(), message));
    }
    if (list == null || !list.isArray()) {
      return Decoded.failed(DeadLetter.undecodable(format, "a Zipkin JSON message must be a list of spans", message));
    }
    List<Decoded.Candidate> spans = new ArrayList<>(list.size());
    List<DeadLetter> failures = new ArrayList<>();
    DeadLetter[] problems = new DeadLetter[list.size()];
    boolean clean = true;
    for (int i = 0; i < problems.length; i++) {
      problems[i] = checkJsonSpan(list.get(i), format);
      clean = clean && problems[i] == null && !hasUpperCaseId(list.get(i));
    }
    if (format == InputFormat.ZIPKIN_JSON_V2 && clean && decodeWhole(message, decoder, list, spans)) {
      return new Decoded(format, spans, failures);
    }
    for (int i = 0; i < problems.length; i++) {
      JsonNode element = list.get(i);
      if (problems[i] != null) {
        failures.add(problems[i]);
        continue;
      }
      byte[] original = jsonList(element);
      try {
        // A list of one, as a v1 span that both sides reported becomes two v2 spans.
        byte[] lowered = hasUpperCaseId(element) ? jsonList(lowerCaseIds((ObjectNode) element)) : original;
        for (zipkin2.Span span : decoder.decodeList(lowered)) {
          spans.add(new Decoded.Candidate(ZipkinSpanMapper.map(span), () -> original));
        }
      } catch (RuntimeException e) {
        failures.add(DeadLetter.undecodable(format, "not a Zipkin span: " + e.getMessage(), original));
      }
    }
    return new Decoded(format, spans, failures);
  }

  /**
   * The common case in one pass of Zipkin's codec: a v2 list whose spans all passed the checks, one span per element,
   * each span's own JSON written only if it is rejected later. False when Zipkin's codec refuses the list (some
   * element is not a span), and the caller decodes span by span so that the one bad element gets the dead letter.
   */
  private static boolean decodeWhole(byte[] message, SpanBytesDecoder decoder, JsonNode list,
      List<Decoded.Candidate> spans) {
    List<zipkin2.Span> decoded;
    try {
      decoded = decoder.decodeList(message);
    } catch (RuntimeException e) {
      return false;
    }
    if (decoded.size() != list.size()) return false;
    for (int i = 0; i < decoded.size(); i++) {
      JsonNode element = list.get(i);
      spans.add(new Decoded.Candidate(ZipkinSpanMapper.map(decoded.get(i)), () -> jsonList(element)));
    }
    return true;
  }

  private static boolean hasUpperCaseId(JsonNode element) {
    for (String field : ID_FIELDS) {
      JsonNode value = element.get(field);
      if (value != null && value.isTextual() && !value.textValue().equals(value.textValue().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks what Zipkin's decoder would otherwise reject or silently drop: it fails the span on a malformed id and
   * discards negative timestamps and durations, which would hide a broken clock.
   */
  private static DeadLetter checkJsonSpan(JsonNode element, InputFormat format) {
    if (!element.isObject()) {
      return DeadLetter.undecodable(format, "a Zipkin span must be a JSON object", jsonList(element));
    }
    String traceId = element.path("traceId").asText(null);
    if (SpanIds.traceId(traceId) == null) {
      return reject(format, RejectReason.INVALID_TRACE_ID, "trace id '" + traceId + "' is invalid", jsonList(element), null);
    }
    String canonicalTraceId = SpanIds.traceId(traceId);
    String id = element.path("id").asText(null);
    if (SpanIds.spanId(id) == null) {
      return reject(format, RejectReason.INVALID_SPAN_ID, "span id '" + id + "' is invalid", jsonList(element), canonicalTraceId);
    }
    String parentId = element.path("parentId").asText(null);
    if (!SpanIds.isAbsent(parentId) && SpanIds.spanId(parentId) == null) {
      return reject(format, RejectReason.INVALID_PARENT_SPAN_ID, "parent id '" + parentId + "' is invalid", jsonList(element),
          canonicalTraceId);
    }
    if (element.path("duration").asLong(0) < 0) {
      return reject(format, RejectReason.NEGATIVE_DURATION,
          "duration " + element.path("duration").asText() + " us is negative", jsonList(element), canonicalTraceId);
    }
    if (element.path("timestamp").asLong(0) < 0) {
      return reject(format, RejectReason.MISSING_TIMESTAMP,
          "timestamp " + element.path("timestamp").asText() + " us is before the epoch", jsonList(element), canonicalTraceId);
    }
    return null;
  }

  /** Zipkin's decoder insists on lower-case hex; upper-case ids from other tracers are still the same ids. */
  private static ObjectNode lowerCaseIds(ObjectNode element) {
    ObjectNode copy = element.deepCopy();
    for (String field : ID_FIELDS) {
      JsonNode value = copy.get(field);
      if (value != null && value.isTextual()) copy.put(field, value.textValue().toLowerCase(Locale.ROOT));
    }
    return copy;
  }

  private static Decoded decodeProto3(byte[] message) {
    List<byte[]> chunks;
    try {
      chunks = ZipkinProto3.splitList(message);
    } catch (IOException e) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.ZIPKIN_PROTO3,
          "not a Zipkin proto3 ListOfSpans: " + e.getMessage(), message));
    }
    List<Decoded.Candidate> spans = new ArrayList<>(chunks.size());
    List<DeadLetter> failures = new ArrayList<>();
    for (byte[] chunk : chunks) {
      try {
        DeadLetter problem = ZipkinProto3.checkIds(chunk);
        if (problem != null) {
          failures.add(problem);
          continue;
        }
        spans.add(new Decoded.Candidate(ZipkinSpanMapper.map(SpanBytesDecoder.PROTO3.decodeOne(chunk)), () -> chunk));
      } catch (IOException | RuntimeException e) {
        failures.add(DeadLetter.undecodable(InputFormat.ZIPKIN_PROTO3, "not a Zipkin span: " + e.getMessage(), chunk));
      }
    }
    return new Decoded(InputFormat.ZIPKIN_PROTO3, spans, failures);
  }

  /** Thrift lists are not split: the whole list is decoded, and a rejected span is re-encoded alone. */
  private static Decoded decodeWholeList(byte[] message) {
    List<zipkin2.Span> decoded;
    try {
      decoded = SpanBytesDecoder.THRIFT.decodeList(message);
    } catch (RuntimeException e) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.ZIPKIN_THRIFT,
          "not a Zipkin thrift list: " + e.getMessage(), message));
    }
    List<Decoded.Candidate> spans = new ArrayList<>(decoded.size());
    for (zipkin2.Span span : decoded) {
      spans.add(new Decoded.Candidate(ZipkinSpanMapper.map(span),
          () -> SpanBytesEncoder.THRIFT.encodeList(List.of(span))));
    }
    return new Decoded(InputFormat.ZIPKIN_THRIFT, spans, List.of());
  }

  private static byte[] jsonList(JsonNode element) {
    try {
      return OtlpJson.MAPPER.writeValueAsBytes(OtlpJson.MAPPER.createArrayNode().add(element));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JSON tree that was just read", e);
    }
  }

  static DeadLetter reject(InputFormat format, RejectReason reason, String detail, byte[] payload, String traceId) {
    return new DeadLetter(format, reason, detail, payload, traceId);
  }
}
