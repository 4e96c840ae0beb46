package dev.tracepipe.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders OTLP attribute values as the text the Span contract stores: scalars plainly, arrays and maps as JSON. */
final class AttributeValues {
  private static final JsonFactory JSON = new JsonFactory();

  private AttributeValues() {}

  /** Attributes in the order sent; a repeated key keeps its last value, as the OpenTelemetry SDKs do. */
  static Map<String, String> toMap(List<KeyValue> attributes) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      out.put(kv.getKey(), render(kv.getValue()));
    }
    return out;
  }

  static String render(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      case BYTES_VALUE:
        return Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      case ARRAY_VALUE:
      case KVLIST_VALUE:
        return json(value);
      default:
        return "";
    }
  }

  private static String json(AnyValue value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = JSON.createGenerator(text)) {
      write(out, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render attribute value as JSON", e);
    }
    return text.toString();
  }

  private static void write(JsonGenerator out, AnyValue value) throws IOException {
    switch (value.getValueCase()) {
      case STRING_VALUE -> out.writeString(value.getStringValue());
      case BOOL_VALUE -> out.writeBoolean(value.getBoolValue());
      case INT_VALUE -> out.writeNumber(value.getIntValue());
      case DOUBLE_VALUE -> writeDouble(out, value.getDoubleValue());
      case BYTES_VALUE -> out.writeString(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        out.writeStartArray();
        for (AnyValue element : value.getArrayValue().getValuesList()) write(out, element);
        out.writeEndArray();
      }
      case KVLIST_VALUE -> {
        out.writeStartObject();
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          out.writeFieldName(kv.getKey());
          write(out, kv.getValue());
        }
        out.writeEndObject();
      }
      default -> out.writeNull();
    }
  }

  /** JSON has no NaN or infinities: those become strings so the text stays parseable. */
  private static void writeDouble(JsonGenerator out, double d) throws IOException {
    if (Double.isFinite(d)) {
      out.writeNumber(d);
    } else {
      out.writeString(Double.toString(d));
    }
  }
}
