package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.tracestore.TraceComparison.CallCount;
import dev.tracepipe.tracestore.TraceComparison.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import zipkin2.Span;

class TraceComparisonTest {

  @Test
  void everySampleComparedWithItselfHasNoDifference() {
    for (Path file : Samples.zipkinFiles()) {
      List<Span> spans = Samples.zipkin(file);
      Result result = TraceComparison.compare(spans, spans);
      assertThat(result.onlyInA()).as(file.toString()).isEmpty();
      assertThat(result.onlyInB()).isEmpty();
      assertThat(result.countsDiffer()).isEmpty();
      assertThat(result.durationsDiffer()).isEmpty();
    }
  }

  @Test
  void serverHalfOfASharedSpanIsACallUnderItsClientHalf() {
    List<Span> spans = Samples.zipkin("ascend.json");
    Set<String> paths = TraceComparison.calls(spans).keySet().stream().map(TraceComparison.Call::path)
        .collect(Collectors.toSet());
    assertThat(paths).contains("mobile-gateway get > mobile-gateway get > auth-service "
        + "http:/parent/auth-service/v1/authentications/ > auth-service extend-token-life");
  }

  @Test
  void missingSubtreeShowsAsCallsOnlyInTheGoodTrace() {
    List<Span> good = Samples.zipkin("ascend.json");
    // The failed request never reached content-service: drop its server half and everything under it.
    Set<String> dropped = Set.of("ecc00062ceef4bf0/shared", "c21c6c51ac71b3ba", "e6422f7ff7d78099");
    List<Span> failed = good.stream().filter(s -> !dropped.contains(key(s))).toList();

    Result result = TraceComparison.compare(good, failed);

    assertThat(result.onlyInA()).extracting(CallCount::service, CallCount::operation, CallCount::countA,
        CallCount::countB).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("content-service", "get /content/personal", 1, 0),
        org.assertj.core.groups.Tuple.tuple("content-service", "get", 1, 0),
        org.assertj.core.groups.Tuple.tuple("content-service", "hystrix", 1, 0));
    assertThat(result.onlyInB()).isEmpty();
  }

  @Test
  void repeatedCallShowsAsACountThatDiffers() {
    List<Span> a = Samples.zipkin("smartthings-oauth-authorization.json");
    Span retried = a.stream().filter(s -> s.parentId() != null && s.kind() == Span.Kind.CLIENT).findFirst()
        .orElseThrow();
    List<Span> b = new ArrayList<>(a);
    b.add(retried.toBuilder().id("00000000000fffff").timestamp(retried.timestampAsLong() + 10).build());

    Result result = TraceComparison.compare(a, b);

    assertThat(result.countsDiffer()).singleElement().satisfies(c -> {
      assertThat(c.service()).isEqualTo(retried.localServiceName());
      assertThat(c.operation()).isEqualTo(retried.name());
      assertThat(c.countB()).isEqualTo(c.countA() + 1);
    });
    assertThat(result.onlyInA()).isEmpty();
    assertThat(result.onlyInB()).isEmpty();
  }

  @Test
  void slowerSpanComesFirstAmongDurationsThatDiffer() {
    List<Span> a = Samples.zipkin("smartthings-oauth-authorization.json");
    Span slow = a.get(a.size() / 2);
    List<Span> b = new ArrayList<>();
    for (Span s : a) b.add(s == slow ? s.toBuilder().duration(s.durationAsLong() + 2_000_000).build() : s);
    Span lessSlow = a.get(1);
    b.set(1, lessSlow.toBuilder().duration(lessSlow.durationAsLong() + 1_000).build());

    Result result = TraceComparison.compare(a, b);

    assertThat(result.durationsDiffer()).hasSize(2);
    assertThat(result.durationsDiffer().get(0).spanIdB()).isEqualTo(slow.id());
    assertThat(result.durationsDiffer().get(0).difference()).isEqualTo(2_000_000);
    assertThat(result.durationsDiffer().get(1).difference()).isEqualTo(1_000);
  }

  private static String key(Span span) {
    return span.id() + (Boolean.TRUE.equals(span.shared()) ? "/shared" : "");
  }
}
