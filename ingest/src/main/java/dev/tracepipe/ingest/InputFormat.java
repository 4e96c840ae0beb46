package dev.tracepipe.ingest;

/** The wire formats ingest reads; the label is the {@code format} tag of metrics and dead letters. */
enum InputFormat {
  AVRO("avro"),
  OTLP_PROTO("otlp_proto"),
  OTLP_JSON("otlp_json"),
  ZIPKIN_JSON_V2("zipkin_json_v2"),
  ZIPKIN_JSON_V1("zipkin_json_v1"),
  ZIPKIN_PROTO3("zipkin_proto3"),
  ZIPKIN_THRIFT("zipkin_thrift"),
  /** A message on the Zipkin topic whose encoding could not be detected. */
  ZIPKIN_UNKNOWN("zipkin");

  private final String label;

  InputFormat(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
