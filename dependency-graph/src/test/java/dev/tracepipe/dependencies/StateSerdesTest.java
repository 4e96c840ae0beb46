package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StateSerdesTest {
  static final EdgeKey EDGE = new EdgeKey("wéb", "app|x", ConnectionType.DATABASE);

  static <T> T roundTrip(Serde<T> serde, T value) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
  }

  @Test
  void roundTripsEveryStateRecord() {
    assertThat(roundTrip(StateSerdes.edgeKey(), EDGE)).isEqualTo(EDGE);
    CountedTrace trace = new CountedTrace(4, List.of(new CountedCall("a@svc", EDGE, true, 9)));
    assertThat(roundTrip(StateSerdes.countedTrace(), trace)).isEqualTo(trace);

    EdgeStats stats = roundTrip(StateSerdes.edgeStats(), new EdgeStats(3, 1, new LatencySketch().add(5_000)));
    assertThat(List.of(stats.calls(), stats.errors(), stats.latency().count(), stats.latency().max()))
        .containsExactly(3L, 1L, 1L, 5_000L);
    assertThat(roundTrip(StateSerdes.edgeStats(), new EdgeStats()).latency().count()).isZero();
  }

  @Test
  void equalKeysEncodeToEqualBytes() {
    assertThat(StateSerdes.edgeKey().serializer().serialize("t", EDGE))
        .isEqualTo(StateSerdes.edgeKey().serializer().serialize("t", new EdgeKey("wéb", "app|x", ConnectionType.DATABASE)));
  }

  @Test
  void unknownFormatFailsLoudly() {
    assertThatThrownBy(() -> StateSerdes.edgeKey().deserializer().deserialize("t", new byte[] {9, 0}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("unknown state format 9");
  }
}
