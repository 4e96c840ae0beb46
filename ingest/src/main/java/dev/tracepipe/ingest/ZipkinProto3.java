package dev.tracepipe.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Just enough of zipkin.proto to split a ListOfSpans into single-span lists and read a span's ids. */
final class ZipkinProto3 {
  private static final int LIST_SPANS_FIELD = 1;
  private static final int TRACE_ID_FIELD = 1;
  private static final int PARENT_ID_FIELD = 2;
  private static final int ID_FIELD = 3;

  private ZipkinProto3() {}

  /** Each span of the list as a ListOfSpans of its own, the form Zipkin's decodeOne and the Zipkin topic accept. */
  static List<byte[]> splitList(byte[] message) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    List<byte[]> out = new ArrayList<>();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == LIST_SPANS_FIELD
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        ByteString span = in.readBytes();
        byte[] list = new byte[CodedOutputStream.computeBytesSize(LIST_SPANS_FIELD, span)];
        CodedOutputStream writer = CodedOutputStream.newInstance(list);
        writer.writeBytes(LIST_SPANS_FIELD, span);
        writer.checkNoSpaceLeft();
        out.add(list);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return out;
  }

  /** The dead letter for a single-span list whose ids are unusable, or null when they are fine. */
  static DeadLetter checkIds(byte[] singleSpanList) throws IOException {
    CodedInputStream list = CodedInputStream.newInstance(singleSpanList);
    list.readTag();
    CodedInputStream span = CodedInputStream.newInstance(list.readByteArray());
    String traceId = null;
    String parentId = null;
    String id = null;
    while (!span.isAtEnd()) {
      int tag = span.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case TRACE_ID_FIELD -> traceId = SpanIds.hex(span.readByteArray());
        case PARENT_ID_FIELD -> parentId = SpanIds.hex(span.readByteArray());
        case ID_FIELD -> id = SpanIds.hex(span.readByteArray());
        default -> span.skipField(tag);
      }
    }
    String canonicalTraceId = SpanIds.traceId(traceId);
    if (canonicalTraceId == null) {
      return reject(RejectReason.INVALID_TRACE_ID, "trace id '" + traceId + "' is invalid", singleSpanList, null);
    }
    if (SpanIds.spanId(id) == null) {
      return reject(RejectReason.INVALID_SPAN_ID, "span id '" + id + "' is invalid", singleSpanList, canonicalTraceId);
    }
    if (!SpanIds.isAbsent(parentId) && SpanIds.spanId(parentId) == null) {
      return reject(RejectReason.INVALID_PARENT_SPAN_ID, "parent id '" + parentId + "' is invalid", singleSpanList,
          canonicalTraceId);
    }
    return null;
  }

  private static DeadLetter reject(RejectReason reason, String detail, byte[] payload, String traceId) {
    return new DeadLetter(InputFormat.ZIPKIN_PROTO3, reason, detail, payload, traceId);
  }
}
