package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.GoldenFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canonical records ingest writes for the shared samples, in every input encoding, byte for byte as the golden
 * file holds them: a change made for speed must not change what ingest writes.
 */
class CanonicalSamplesGoldenTest {

  @Test
  void samplesBecomeTheSameCanonicalRecords() {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class)
        .configured(Map.of("schema.registry.url", "mock://canonical-samples-golden"), false);
    SpanIngestor ingestor = new SpanIngestor(new SpanValidator(IngestLimits.DEFAULTS),
        new IngestMetrics(new SimpleMeterRegistry()));
    Base64.Encoder base64 = Base64.getEncoder();
    StringBuilder out = new StringBuilder();
    for (IngestCostTest.Input input : IngestCostTest.inputs()) {
      for (int i = 0; i < input.messages().size(); i++) {
        out.append(input.label()).append(" message ").append(i).append('\n');
        SpanIngestor.Result result = ingestor.ingest(input.decoder().apply(input.messages().get(i)),
            input.receivedMillis()[i]);
        for (Span span : result.accepted()) {
          out.append(base64.encodeToString(serde.serialize(Topics.CANONICAL_SPANS.name(), span))).append('\n');
        }
        for (DeadLetter letter : result.rejected()) {
          out.append("rejected ").append(letter.reason()).append(' ').append(letter.detail()).append('\n');
        }
      }
    }
    GoldenFile.assertMatches(Path.of("src/test/resources/canonical-samples.txt"), out.toString());
  }
}
