package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanIdsTest {

  @Test
  void traceIdOf64BitsIsLeftPaddedTo128() {
    assertThat(SpanIds.traceId("463ac35c9f6413ad")).isEqualTo("0000000000000000463ac35c9f6413ad");
  }

  @Test
  void idsAreLowerCased() {
    assertThat(SpanIds.traceId("5B8EFFF798038103D269B633813FC60C")).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(SpanIds.spanId("EEE19B7EC3C1B174")).isEqualTo("eee19b7ec3c1b174");
  }

  @Test
  void allZeroWrongLengthAndNonHexIdsAreInvalid() {
    assertThat(SpanIds.traceId("00000000000000000000000000000000")).isNull();
    assertThat(SpanIds.traceId("0000000000000000")).isNull();
    assertThat(SpanIds.traceId("abc")).isNull();
    assertThat(SpanIds.traceId("4bf92f3577b34da6a3ce929d0e0e473g")).isNull();
    assertThat(SpanIds.traceId(null)).isNull();
    assertThat(SpanIds.spanId("0000000000000000")).isNull();
    assertThat(SpanIds.spanId("00f067aa0ba902b")).isNull();
    assertThat(SpanIds.spanId("00f067aa0ba902b7aa")).isNull();
  }

  @Test
  void absentParentIsNullEmptyOrZeros() {
    assertThat(SpanIds.isAbsent(null)).isTrue();
    assertThat(SpanIds.isAbsent("")).isTrue();
    assertThat(SpanIds.isAbsent("0000000000000000")).isTrue();
    assertThat(SpanIds.isAbsent("0000000000000001")).isFalse();
  }

  @Test
  void hexRoundTrips() {
    byte[] bytes = SpanIds.fromHex("00F067aa0ba902b7");
    assertThat(SpanIds.hex(bytes)).isEqualTo("00f067aa0ba902b7");
    assertThat(SpanIds.fromHex("0g")).isNull();
    assertThat(SpanIds.fromHex("abc")).isNull();
  }
}
