package dev.tracepipe.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes one OTLP trace message, an ExportTraceServiceRequest or the wire-identical TracesData that the
 * Collector's Kafka exporter writes, in protobuf or JSON, into mapped spans.
 */
final class OtlpDecoder {
  private OtlpDecoder() {}

  /**
   * Detects the encoding of a message: OTLP/JSON is a JSON object, and protobuf never starts with '{' (field 15 as a
   * group). JSON after leading white space is ambiguous, since every protobuf batch starts with '\n' (field 1) and
   * its length byte may be '{': such a message is read as protobuf first, and as JSON when that fails.
   */
  static Decoded decode(byte[] message) {
    int first = 0;
    while (first < message.length && isJsonWhitespace(message[first])) first++;
    if (first == message.length || message[first] != '{') return decodeProto(message);
    if (first == 0) return decodeJson(message);
    Decoded proto = decodeProto(message);
    if (!proto.undecodable()) return proto;
    Decoded json = decodeJson(message);
    if (!json.undecodable()) return json;
    // Neither: name the format the bytes resemble (JSON is text, protobuf of real spans rarely is) and give both errors.
    Decoded likely = isUtf8(message) ? json : proto;
    return Decoded.failed(DeadLetter.undecodable(likely.format(), proto.failures().get(0).detail() + "; "
        + json.failures().get(0).detail(), message));
  }

  private static boolean isUtf8(byte[] message) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean isJsonWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  static Decoded decode(byte[] message, InputFormat format) {
    return switch (format) {
      case OTLP_PROTO -> decodeProto(message);
      case OTLP_JSON -> decodeJson(message);
      default -> throw new IllegalArgumentException("not an OTLP format: " + format);
    };
  }

  private static Decoded decodeProto(byte[] message) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.OTLP_PROTO,
          "not an OTLP protobuf trace request: " + e.getMessage(), message));
    }
    // Protobuf reads most garbage as unknown fields; a non-empty message that yields no span is not a real batch.
    if (message.length > 0 && spanCount(request) == 0) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.OTLP_PROTO,
          "non-empty OTLP protobuf message holds no span", message));
    }
    return map(InputFormat.OTLP_PROTO, request, (ri, si, i) -> () -> {
      ResourceSpans resource = request.getResourceSpans(ri);
      ScopeSpans scope = resource.getScopeSpans(si);
      return TracesData.newBuilder()
          .addResourceSpans(resource.toBuilder().clearScopeSpans()
              .addScopeSpans(scope.toBuilder().clearSpans().addSpans(scope.getSpans(i))))
          .build().toByteArray();
    });
  }

  private static Decoded decodeJson(byte[] message) {
    OtlpJson.Parsed parsed;
    try {
      parsed = OtlpJson.parse(message);
    } catch (IOException e) {
      return Decoded.failed(DeadLetter.undecodable(InputFormat.OTLP_JSON,
          "not an OTLP/JSON trace request: " + e.getMessage(), message));
    }
    return map(InputFormat.OTLP_JSON, parsed.request(),
        (ri, si, i) -> () -> OtlpJson.singleSpan(parsed.original(), ri, si, i));
  }

  /** Builds the dead-letter payload of one span, addressed by its resource, scope and span index. */
  private interface Payloads {
    Supplier<byte[]> of(int resourceIndex, int scopeIndex, int spanIndex);
  }

  private static Decoded map(InputFormat format, ExportTraceServiceRequest request, Payloads payloads) {
    List<Decoded.Candidate> out = new ArrayList<>(spanCount(request));
    for (int ri = 0; ri < request.getResourceSpansCount(); ri++) {
      ResourceSpans resource = request.getResourceSpans(ri);
      for (int si = 0; si < resource.getScopeSpansCount(); si++) {
        ScopeSpans scope = resource.getScopeSpans(si);
        for (int i = 0; i < scope.getSpansCount(); i++) {
          out.add(new Decoded.Candidate(OtlpSpanMapper.map(resource.getResource(), scope.getScope(), scope.getSpans(i)),
              payloads.of(ri, si, i)));
        }
      }
    }
    return new Decoded(format, out, List.of());
  }

  static int spanCount(ExportTraceServiceRequest request) {
    int count = 0;
    for (ResourceSpans resource : request.getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) count += scope.getSpansCount();
    }
    return count;
  }
}
