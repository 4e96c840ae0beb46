package dev.tracepipe.workload;

import static dev.tracepipe.workload.TraceFixtures.byId;
import static dev.tracepipe.workload.TraceFixtures.end;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.StatusCode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatedSystemTest {
  private static final SimulatedSystem SYSTEM = new SimulatedSystem(7);
  private static final List<List<Span>> TRACES = TraceFixtures.traces(SYSTEM, 4000);
  private static final List<Span> SPANS = TraceFixtures.spans(TRACES);

  @Test
  void everyTraceHasOneRootAndEveryParentInTheTrace() {
    for (List<Span> trace : TRACES) {
      Map<String, Span> byId = byId(trace);
      assertThat(byId).as("span ids unique within a trace").hasSize(trace.size());
      assertThat(trace.stream().filter(s -> s.getParentSpanId() == null)).hasSize(1);
      assertThat(trace).allSatisfy(span -> {
        assertThat(span.getTraceId()).isEqualTo(trace.get(0).getTraceId());
        if (span.getParentSpanId() != null) {
          assertThat(byId).containsKey(span.getParentSpanId());
        }
      });
    }
  }

  @Test
  void idsAreLowerCaseHexOf128And64Bits() {
    assertThat(SPANS).allSatisfy(span -> {
      assertThat(span.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
      assertThat(span.getSpanId()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
    });
    assertThat(TRACES.stream().map(t -> t.get(0).getTraceId()).distinct()).hasSize(TRACES.size());
  }

  @Test
  void childrenLieInsideTheirParentsExceptAsynchronousConsumers() {
    for (List<Span> trace : TRACES) {
      Map<String, Span> byId = byId(trace);
      for (Span span : trace) {
        if (span.getParentSpanId() == null || span.getKind() == SpanKind.CONSUMER) {
          continue;
        }
        Span parent = byId.get(span.getParentSpanId());
        assertThat(span.getStartTimeNanos()).as("%s starts inside %s", span.getName(), parent.getName())
            .isGreaterThanOrEqualTo(parent.getStartTimeNanos());
        assertThat(end(span)).as("%s ends inside %s", span.getName(), parent.getName()).isLessThanOrEqualTo(end(parent));
        assertThat(span.getDurationNanos()).isPositive();
      }
    }
  }

  @Test
  void serverSpansAreChildrenOfClientSpansInAnotherServiceAfterANetworkHop() {
    int pairs = 0;
    for (List<Span> trace : TRACES) {
      Map<String, Span> byId = byId(trace);
      for (Span server : trace) {
        if (server.getKind() != SpanKind.SERVER || server.getParentSpanId() == null) {
          continue;
        }
        Span client = byId.get(server.getParentSpanId());
        assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(client.getService()).isNotEqualTo(server.getService());
        assertThat(client.getRemote().getAddress()).isEqualTo(server.getService());
        assertThat(server.getStartTimeNanos()).isGreaterThan(client.getStartTimeNanos());
        assertThat(end(server)).isLessThan(end(client));
        pairs++;
      }
    }
    assertThat(pairs).isGreaterThan(TRACES.size());
  }

  @Test
  void clientSpansToInstrumentedServicesHaveOneServerChildAndPeerCallsNone() {
    for (List<Span> trace : TRACES) {
      Map<String, List<Span>> children = trace.stream().filter(s -> s.getParentSpanId() != null)
          .collect(Collectors.groupingBy(Span::getParentSpanId));
      for (Span client : trace) {
        if (client.getKind() != SpanKind.CLIENT) {
          continue;
        }
        List<Span> below = children.getOrDefault(client.getSpanId(), List.of());
        if (client.getRemote().getService() == null) {
          assertThat(below).singleElement().extracting(Span::getKind).isEqualTo(SpanKind.SERVER);
        } else {
          assertThat(SYSTEM.peers()).contains(client.getRemote().getService());
          assertThat(below).isEmpty();
        }
      }
    }
  }

  @Test
  void consumersRunInTheSameTraceAsChildrenOfTheProducer() {
    int consumers = 0;
    for (List<Span> trace : TRACES) {
      Map<String, Span> byId = byId(trace);
      for (Span consumer : trace) {
        if (consumer.getKind() != SpanKind.CONSUMER) {
          continue;
        }
        Span producer = byId.get(consumer.getParentSpanId());
        assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(producer.getService()).isEqualTo("payment");
        assertThat(consumer.getService()).isEqualTo("order-worker");
        assertThat(producer.getRemote().getMessagingSystem()).isEqualTo("kafka");
        assertThat(producer.getRemote().getMessagingDestination()).isEqualTo("orders");
        assertThat(consumer.getRemote().getMessagingDestination()).isEqualTo("orders");
        assertThat(consumer.getStartTimeNanos()).isGreaterThan(producer.getStartTimeNanos());
        consumers++;
      }
    }
    assertThat(consumers).isGreaterThan(100);
  }

  @Test
  void theShopHasElevenServicesAndItsPeersAppearAsRemoteSides() {
    assertThat(SPANS.stream().map(Span::getService).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(SYSTEM.services())
        .hasSize(11);
    Set<String> remotes = SPANS.stream().filter(s -> s.getRemote() != null && s.getRemote().getService() != null)
        .map(s -> s.getRemote().getService()).collect(Collectors.toSet());
    assertThat(remotes).containsExactlyInAnyOrderElementsOf(SYSTEM.peers());
    assertThat(SPANS).filteredOn(s -> s.getRemote() != null && "shop-db".equals(s.getRemote().getService()))
        .isNotEmpty()
        .allSatisfy(db -> {
          assertThat(db.getRemote().getDbSystem()).isEqualTo("postgresql");
          assertThat(db.getRemote().getAddress()).isEqualTo("shop-db.internal");
          assertThat(db.getAttributes()).containsKey("db.statement").containsEntry("db.system", "postgresql");
        });
    assertThat(SPANS).filteredOn(s -> s.getRemote() != null && "redis".equals(s.getRemote().getService()))
        .isNotEmpty()
        .allSatisfy(cache -> assertThat(cache.getRemote().getDbSystem()).isEqualTo("redis"));
  }

  @Test
  void traceSizesRangeFromOneSpanToOverAThousand() {
    Map<String, Integer> largestByRoot = new TreeMap<>();
    for (List<Span> trace : TRACES) {
      String root = trace.stream().filter(s -> s.getParentSpanId() == null).findFirst().orElseThrow().getName();
      largestByRoot.merge(root, trace.size(), Math::max);
    }
    int[] sizes = TRACES.stream().mapToInt(List::size).toArray();
    assertThat(java.util.Arrays.stream(sizes).min().orElseThrow()).isEqualTo(1);
    assertThat(java.util.Arrays.stream(sizes).max().orElseThrow()).isGreaterThan(1000);
    assertThat(java.util.Arrays.stream(sizes).filter(n -> n >= 5 && n <= 60).count()).isGreaterThan(TRACES.size() / 2);
    assertThat(largestByRoot.keySet()).containsExactlyInAnyOrderElementsOf(SYSTEM.rootOperations());
  }

  @Test
  void everyServiceRunsTwoVersionsOnAtLeastFourHosts() {
    Map<String, List<Span>> byService = SPANS.stream().collect(Collectors.groupingBy(Span::getService));
    byService.forEach((service, spans) -> {
      Set<String> versions = new HashSet<>();
      Set<String> hosts = new HashSet<>();
      spans.forEach(s -> {
        versions.add(s.getResourceAttributes().get("service.version"));
        hosts.add(s.getResourceAttributes().get("host.name"));
        assertThat(s.getResourceAttributes()).containsEntry("service.name", service);
      });
      assertThat(versions).as(service).hasSize(2).contains(SYSTEM.newVersionOf(service));
      assertThat(hosts).as(service).hasSizeGreaterThanOrEqualTo(4).containsExactlyInAnyOrderElementsOf(
          SYSTEM.hostsOf(service));
    });
  }

  @Test
  void errorsAreRareAndCarryAMessageAndStatusCode() {
    List<Span> errors = SPANS.stream().filter(s -> s.getStatus().getCode() == StatusCode.ERROR).toList();
    assertThat(errors).isNotEmpty();
    assertThat((double) errors.size() / SPANS.size()).isLessThan(0.02);
    assertThat(errors).allSatisfy(e -> assertThat(e.getStatus().getMessage()).isNotBlank());
    assertThat(errors).filteredOn(e -> e.getKind() == SpanKind.SERVER).isNotEmpty()
        .allSatisfy(e -> assertThat(Integer.parseInt(e.getAttributes().get("http.status_code"))).isGreaterThanOrEqualTo(500));
    assertThat(errors).filteredOn(e -> !e.getEvents().isEmpty()).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getEvents().get(0).getAttributes()).containsKey("exception.type"));
  }

  @Test
  void httpSpansCarryMethodRouteAndStatus() {
    assertThat(SPANS).filteredOn(s -> s.getKind() == SpanKind.SERVER).allSatisfy(s -> assertThat(s.getAttributes())
        .containsKeys("http.method", "http.route", "http.target", "http.status_code"));
    assertThat(SPANS).filteredOn(s -> s.getKind() == SpanKind.SERVER)
        .allSatisfy(s -> assertThat(s.getName()).isEqualTo(s.getAttributes().get("http.method") + " "
            + s.getAttributes().get("http.route")));
  }

  @Test
  void latenciesHaveALongRightTail() {
    long[] payments = TraceFixtures.durations(SPANS, s -> TraceFixtures.isServer(s, "payment"));
    long median = TraceFixtures.median(payments);
    double mean = java.util.Arrays.stream(payments).average().orElseThrow();
    assertThat(mean).isGreaterThan(median);
    assertThat(TraceFixtures.percentile(payments, 0.99)).isGreaterThan(3 * median / 2);
    assertThat(TraceFixtures.percentile(payments, 0.01)).isGreaterThan(median / 4);
  }

  @Test
  void timesAreWholeMicrosecondsSoZipkinCarriesThemExactly() {
    assertThat(SPANS).allSatisfy(s -> {
      assertThat(s.getStartTimeNanos() % 1000).isZero();
      assertThat(s.getDurationNanos() % 1000).isZero();
    });
  }

  @Test
  void theSameSeedGivesTheSameTracesAndAnotherSeedOthers() {
    List<List<Span>> again = TraceFixtures.traces(new SimulatedSystem(7), 200);
    assertThat(again).isEqualTo(TRACES.subList(0, 200));
    List<List<Span>> other = TraceFixtures.traces(new SimulatedSystem(8), 200);
    assertThat(other.get(0).get(0).getTraceId()).isNotEqualTo(TRACES.get(0).get(0).getTraceId());
  }

  @Test
  void aNamedRootOperationStartsTheTrace() {
    List<Span> checkout = SYSTEM.nextTrace("POST /checkout", TraceFixtures.T0);
    assertThat(checkout.get(0).getName()).isEqualTo("POST /checkout");
    assertThat(checkout.get(0).getService()).isEqualTo("gateway");
    assertThat(checkout.get(0).getStartTimeNanos()).isEqualTo(TraceFixtures.T0);
    assertThat(checkout).extracting(Span::getKind).contains(SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.INTERNAL);
  }
}
