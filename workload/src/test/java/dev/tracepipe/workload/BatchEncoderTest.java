package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.AvroSerde;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;

class BatchEncoderTest {
  private static final SimulatedSystem SYSTEM = new SimulatedSystem(21);

  @Test
  void packsWholeTracesIntoMessagesUpToTheSpanLimit() throws Exception {
    List<List<Span>> traces = TraceFixtures.traces(SYSTEM, "GET /catalog/items", 30);
    int total = traces.stream().mapToInt(List::size).sum();
    List<BatchEncoder.Message> messages = BatchEncoder.otlp(100).encode(traces);

    assertThat(messages).allSatisfy(m -> {
      assertThat(m.key()).isNull();
      assertThat(m.spanCount()).isLessThanOrEqualTo(100);
    });
    assertThat(messages.stream().mapToInt(BatchEncoder.Message::spanCount).sum()).isEqualTo(total);
    long parsed = 0;
    for (BatchEncoder.Message message : messages) {
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(message.value());
      long inMessage = request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
          .mapToLong(s -> s.getSpansCount()).sum();
      assertThat(inMessage).isEqualTo(message.spanCount());
      parsed += inMessage;
    }
    assertThat(parsed).isEqualTo(total);
    // Every trace here is smaller than the limit, so none is split across messages.
    assertThat(messages).hasSizeLessThan(traces.size());
  }

  @Test
  void splitsATraceLargerThanTheLimit() {
    List<Span> batchJob = SYSTEM.nextTrace("POST /admin/reindex", TraceFixtures.T0);
    assertThat(batchJob).hasSizeGreaterThan(1000);
    List<BatchEncoder.Message> messages = BatchEncoder.zipkin(1000).encode(List.of(batchJob));
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).spanCount()).isEqualTo(1000);
    int decoded = messages.stream().mapToInt(m -> SpanBytesDecoder.JSON_V2.decodeList(m.value()).size()).sum();
    assertThat(decoded).isEqualTo(batchJob.size());
  }

  @Test
  void avroWritesOneRecordPerSpanKeyedByTheTraceIdBytes() {
    Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://workload-batch-encoder");
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    List<Span> trace = SYSTEM.nextTrace("GET /cart", TraceFixtures.T0);
    List<BatchEncoder.Message> messages = BatchEncoder.avro(serde, "spans").encode(List.of(trace));

    assertThat(messages).hasSameSizeAs(trace);
    for (int i = 0; i < trace.size(); i++) {
      BatchEncoder.Message message = messages.get(i);
      assertThat(message.key()).hasSize(16).isEqualTo(Ids.toBytes(trace.get(i).getTraceId()));
      assertThat(message.value()[0]).as("Confluent magic byte").isZero();
      Span decoded = AvroSerde.specific(Span.class).configured(serdeConfig, false).deserialize("spans", message.value());
      assertThat(decoded).isEqualTo(trace.get(i));
    }
  }
}
