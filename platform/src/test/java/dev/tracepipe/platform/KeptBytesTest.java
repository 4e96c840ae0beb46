package dev.tracepipe.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Values read as text; a store writes them as the bytes they were read from, or encodes them (counted). */
class KeptBytesTest {

  final AtomicInteger encoded = new AtomicInteger();
  final Serde<StringBuilder> text = Serdes.serdeFrom(
      (topic, value) -> {
        encoded.incrementAndGet();
        return value.toString().getBytes(StandardCharsets.UTF_8);
      },
      (topic, bytes) -> new StringBuilder(new String(bytes, StandardCharsets.UTF_8)));
  final KeptBytes<StringBuilder> kept = new KeptBytes<>(text);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aValueReadIsWrittenAsTheBytesItCameIn() {
    byte[] in = bytes("span");
    StringBuilder value = kept.deserializer().deserialize("t", in);
    assertThat(kept.storeSerde().serializer().serialize("store", value)).isSameAs(in);
    assertThat(encoded).hasValue(0);
    assertThat(kept.storeSerde().serializer().serialize("store", value)).as("taken by the first write")
        .isNotSameAs(in).isEqualTo(in);
    assertThat(encoded).hasValue(1);
  }

  @Test
  void anEqualValueThatWasNotReadIsEncoded() {
    kept.deserializer().deserialize("t", bytes("span"));
    assertThat(kept.storeSerde().serializer().serialize("store", new StringBuilder("span"))).isEqualTo(bytes("span"));
    assertThat(encoded).hasValue(1);
  }

  @Test
  void anotherThreadDoesNotSeeWhatThisOneRead() {
    StringBuilder value = kept.deserializer().deserialize("t", bytes("span"));
    assertThat(CompletableFuture.supplyAsync(() -> kept.take(value)).join()).isNull();
    assertThat(kept.take(value)).isEqualTo(bytes("span"));
  }

  @Test
  void valuesNeverWrittenAreForgottenPastTheBound() {
    StringBuilder first = kept.deserializer().deserialize("t", bytes("first"));
    for (int i = 1; i < KeptBytes.MAX_PER_THREAD; i++) {
      kept.deserializer().deserialize("t", bytes("v" + i));
    }
    assertThat(kept.take(first)).as("still within the bound").isNotNull();
    StringBuilder second = kept.deserializer().deserialize("t", bytes("second"));
    for (int i = 0; i < KeptBytes.MAX_PER_THREAD; i++) {
      kept.deserializer().deserialize("t", bytes("w" + i));
    }
    assertThat(kept.take(second)).isNull();
  }

  @Test
  void largeValuesAreForgottenPastTheByteBound() {
    byte[] large = new byte[(int) (KeptBytes.MAX_BYTES_PER_THREAD / 2 + 1)];
    StringBuilder first = kept.deserializer().deserialize("t", large);
    kept.deserializer().deserialize("t", large);
    assertThat(kept.take(first)).isNull();
  }
}
