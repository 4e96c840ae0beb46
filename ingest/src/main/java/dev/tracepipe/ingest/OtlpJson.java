package dev.tracepipe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;

/**
 * Reads OTLP/JSON. Unlike the protobuf JSON mapping that JsonFormat implements, OTLP/JSON carries trace and span ids
 * as hex, so ids are rewritten to base64 before parsing; enums as integers and unknown fields are accepted.
 */
final class OtlpJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final String RESOURCE_SPANS = "resourceSpans";
  private static final String SCOPE_SPANS = "scopeSpans";
  private static final String SPANS = "spans";

  private OtlpJson() {}

  /** A parsed request and the JSON tree it came from, whose span objects line up with the request's spans. */
  record Parsed(ExportTraceServiceRequest request, ObjectNode original) {}

  static Parsed parse(byte[] json) throws IOException {
    JsonNode root = MAPPER.readTree(json);
    if (root == null || !root.isObject()) {
      throw new IOException("an OTLP/JSON message must be a JSON object");
    }
    ObjectNode converted = ((ObjectNode) root).deepCopy();
    for (JsonNode resourceSpans : converted.path(RESOURCE_SPANS)) {
      for (JsonNode scopeSpans : resourceSpans.path(SCOPE_SPANS)) {
        for (JsonNode span : scopeSpans.path(SPANS)) {
          convertIds(span);
          for (JsonNode link : span.path("links")) convertIds(link);
        }
      }
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(MAPPER.writeValueAsString(converted), request);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("not an OTLP/JSON trace request: " + e.getMessage(), e);
    }
    return new Parsed(request.build(), (ObjectNode) root);
  }

  /** The original JSON of one span, wrapped in its resource and scope, as a request of its own. */
  static byte[] singleSpan(ObjectNode original, int resourceIndex, int scopeIndex, int spanIndex) {
    JsonNode resourceSpans = original.path(RESOURCE_SPANS).path(resourceIndex);
    JsonNode scopeSpans = resourceSpans.path(SCOPE_SPANS).path(scopeIndex);
    ObjectNode scope = ((ObjectNode) scopeSpans).deepCopy();
    scope.putArray(SPANS).add(scopeSpans.path(SPANS).path(spanIndex).deepCopy());
    ObjectNode resource = ((ObjectNode) resourceSpans).deepCopy();
    resource.putArray(SCOPE_SPANS).add(scope);
    ObjectNode out = MAPPER.createObjectNode();
    out.putArray(RESOURCE_SPANS).add(resource);
    try {
      return MAPPER.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a JSON tree that was just read", e);
    }
  }

  private static void convertIds(JsonNode node) {
    if (!node.isObject()) return;
    ObjectNode object = (ObjectNode) node;
    convertId(object, "traceId", 16);
    convertId(object, "spanId", 8);
    convertId(object, "parentSpanId", 8);
  }

  /**
   * Hex of the expected length becomes base64. Base64 of the right byte length (what a protobuf JSON printer
   * writes) is kept. Anything else becomes empty, so the span is rejected by the validator for its id while the
   * dead letter keeps the original text.
   */
  private static void convertId(ObjectNode object, String field, int bytes) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) return;
    String text = value.isTextual() ? value.textValue() : "";
    if (text.isEmpty()) return;
    byte[] decoded = text.length() == 2 * bytes ? SpanIds.fromHex(text) : null;
    if (decoded == null && !isBase64Of(text, bytes)) {
      decoded = new byte[0];
    }
    if (decoded != null) object.put(field, Base64.getEncoder().encodeToString(decoded));
  }

  private static boolean isBase64Of(String text, int bytes) {
    try {
      return Base64.getDecoder().decode(text).length == bytes;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
