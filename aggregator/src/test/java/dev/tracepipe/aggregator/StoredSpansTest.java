package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StoredSpansTest {
  private static final String TRACE = "0000000000000000000000000000000a";

  @Test
  void keysSortInTheOrderTheRecordsWereWritten() {
    List<String> keys = List.of(StoredSpans.key(TRACE, 0), StoredSpans.key(TRACE, 7), StoredSpans.key(TRACE, 10),
        StoredSpans.key(TRACE, 123_456), StoredSpans.key(TRACE, Integer.MAX_VALUE));
    assertThat(keys).isSorted().allSatisfy(k -> assertThat(k).startsWith(TRACE + "/#").hasSize(TRACE.length() + 12));
  }

  @Test
  void aRecordOfSeveralSpansGivesThemBackAndARecordFromBeforeIsOneSpan() {
    List<byte[]> spans = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {9});
    List<byte[]> read = new ArrayList<>();
    StoredSpans.forEach(TRACE, StoredSpans.key(TRACE, 3), StoredSpans.value(spans), read::add);
    assertThat(read).containsExactlyElementsOf(spans);

    byte[] legacy = {4, 5};
    read.clear();
    StoredSpans.forEach(TRACE, TRACE + "/00000000000000a1/c/0123", legacy, read::add);
    assertThat(read).containsExactly(legacy);

    assertThatThrownBy(() -> StoredSpans.forEach(TRACE, StoredSpans.key(TRACE, 0), new byte[] {0, 0, 0, 2}, b -> { }))
        .isInstanceOf(SerializationException.class);
  }
}
