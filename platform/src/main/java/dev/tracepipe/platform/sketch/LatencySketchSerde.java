package dev.tracepipe.platform.sketch;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde for keeping latency sketches in state stores. */
public final class LatencySketchSerde implements Serde<LatencySketch> {
  @Override
  public Serializer<LatencySketch> serializer() {
    return (topic, sketch) -> sketch == null ? null : sketch.toBytes();
  }

  @Override
  public Deserializer<LatencySketch> deserializer() {
    return (topic, bytes) -> bytes == null ? null : LatencySketch.fromBytes(bytes);
  }
}
