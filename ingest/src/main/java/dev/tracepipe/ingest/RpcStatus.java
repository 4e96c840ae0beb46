package dev.tracepipe.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The google.rpc.Status body OTLP/HTTP answers errors with. Its three fields (code, message, details) are written by
 * hand because the message class ships in a library the project does not otherwise need; details stay empty.
 */
final class RpcStatus {
  /** google.rpc.Code values used here. */
  static final int INVALID_ARGUMENT = 3;
  static final int NOT_FOUND = 5;
  static final int RESOURCE_EXHAUSTED = 8;
  static final int UNIMPLEMENTED = 12;
  static final int INTERNAL = 13;
  static final int UNAVAILABLE = 14;
  static final int UNAUTHENTICATED = 16;
  private static final int CODE_FIELD = 1;
  private static final int MESSAGE_FIELD = 2;

  private RpcStatus() {}

  /** The code that goes with an HTTP status, as gRPC's HTTP mapping has it. */
  static int forHttp(int status) {
    return switch (status) {
      case 401 -> UNAUTHENTICATED;
      case 404 -> NOT_FOUND;
      case 405 -> UNIMPLEMENTED;
      case 429 -> RESOURCE_EXHAUSTED;
      case 502, 503, 504 -> UNAVAILABLE;
      default -> status >= 500 ? INTERNAL : INVALID_ARGUMENT;
    };
  }

  static byte[] protobuf(int code, String message) {
    int size = CodedOutputStream.computeInt32Size(CODE_FIELD, code)
        + CodedOutputStream.computeStringSize(MESSAGE_FIELD, message);
    byte[] out = new byte[size];
    CodedOutputStream writer = CodedOutputStream.newInstance(out);
    try {
      writer.writeInt32(CODE_FIELD, code);
      writer.writeString(MESSAGE_FIELD, message);
      writer.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode google.rpc.Status into an array of its exact size", e);
    }
    return out;
  }

  static byte[] json(int code, String message) {
    ObjectNode status = OtlpJson.MAPPER.createObjectNode().put("code", code).put("message", message);
    try {
      return OtlpJson.MAPPER.writeValueAsBytes(status);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a JSON object just built", e);
    }
  }
}
