package dev.tracepipe.dependencies;

import static dev.tracepipe.avro.ConnectionType.DATABASE;
import static dev.tracepipe.avro.ConnectionType.MESSAGING;
import static dev.tracepipe.avro.ConnectionType.RPC;
import static dev.tracepipe.avro.ConnectionType.VIRTUAL;
import static dev.tracepipe.dependencies.Fixtures.at;
import static dev.tracepipe.dependencies.Fixtures.client;
import static dev.tracepipe.dependencies.Fixtures.failed;
import static dev.tracepipe.dependencies.Fixtures.local;
import static dev.tracepipe.dependencies.Fixtures.server;
import static dev.tracepipe.dependencies.Fixtures.sharedServer;
import static dev.tracepipe.dependencies.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each linking rule of RATIONALE.md, pinned by the smallest trace that shows it. */
class CallLinkerTest {
  static final String A = "000000000000000a";
  static final String B = "000000000000000b";
  static final String C = "000000000000000c";
  static final String D = "000000000000000d";

  static List<String> edges(Span... spans) {
    return CallLinker.link(List.of(spans)).stream()
        .map(c -> c.edge().parent() + ">" + c.edge().child() + ":" + c.edge().type() + (c.error() ? "!" : ""))
        .sorted().toList();
  }

  static Span kind(SpanKind kind, String id, String parent, String service, RemotePeer remote) {
    return span(id, parent, kind, service).setRemote(remote).build();
  }

  @Test
  void clientWithServerChild_edgeNamedByServer_withBothLatencies() {
    List<Call> calls = CallLinker.link(List.of(
        server(A, null, "web"),
        at(client(B, A, "web", "app-as-the-client-calls-it"), 0, 40),
        at(server(C, B, "app"), 5, 30)));

    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.edge()).isEqualTo(new EdgeKey("web", "app", RPC));
      assertThat(call.clientNanos()).isEqualTo(40_000_000);
      assertThat(call.serverNanos()).isEqualTo(30_000_000);
      assertThat(call.latencyNanos()).isEqualTo(40_000_000);
      assertThat(call.timestampMillis()).isEqualTo((Fixtures.BASE_NANOS + 5_000_000) / 1_000_000);
    });
  }

  @Test
  void sharedSpanId_clientAndServerHalvesMakeOneCall() {
    assertThat(edges(server(A, null, "web"), client(B, A, "web", "app"), sharedServer(B, A, "app")))
        .containsExactly("web>app:RPC");
  }

  @Test
  void sharedServerHalfWithoutParentId_stillLinksToItsClient() {
    assertThat(edges(server(A, null, "web"), client(B, A, "web", null), sharedServer(B, null, "app")))
        .containsExactly("web>app:RPC");
  }

  @Test
  void sharedHalfLocalChild_belongsToTheServerOfItsOwnService() {
    // C names B as parent: both the client (web) and the shared server (app) have id B.
    assertThat(edges(server(A, null, "web"), client(B, A, "web", "app"), sharedServer(B, A, "app"),
        client(C, B, "app", "db")))
        .containsExactly("app>db:VIRTUAL", "web>app:RPC");
  }

  @Test
  void unflaggedServerHalfAcrossTwoServices_isTreatedAsShared() {
    assertThat(edges(server(A, null, "web"), client(B, A, "web", "app"), server(B, A, "app")))
        .containsExactly("web>app:RPC");
  }

  @Test
  void localSpansAreTransparent() {
    assertThat(edges(server(A, null, "web"), local(B, A, "web"), client(C, B, "web", null), server(D, C, "app")))
        .containsExactly("web>app:RPC");
  }

  @Test
  void leafClient_linksToTheUninstrumentedPeerItNames() {
    assertThat(edges(server(A, null, "web"), client(B, A, "web", "payments")))
        .containsExactly("web>payments:VIRTUAL");
  }

  @Test
  void rootServerNamingItsCaller_linksFromAnUninstrumentedClient() {
    assertThat(edges(kind(SpanKind.SERVER, A, null, "web", Fixtures.peer("browser"))))
        .containsExactly("browser>web:VIRTUAL");
  }

  @Test
  void rootServerWithoutCaller_hasNoEdge() {
    assertThat(edges(server(A, null, "web"))).isEmpty();
  }

  @Test
  void errors_countOnTheSpanThatFailed() {
    assertThat(edges(server(A, null, "web"), failed(client(B, A, "web", "db")))).containsExactly("web>db:VIRTUAL!");
    assertThat(edges(server(A, null, "web"), client(B, A, "web", null), failed(server(C, B, "app"))))
        .containsExactly("web>app:RPC!");
  }

  @Test
  void errors_aFailedClientFailsTheCallOfItsSplitServerChild() {
    assertThat(edges(server(A, null, "web"), failed(client(B, A, "web", null)), server(C, B, "app")))
        .containsExactly("web>app:RPC!");
  }

  @Test
  void errors_aFailedClientDoesNotFailItsSharedServerHalf_asInZipkin() {
    assertThat(edges(server(A, null, "web"), failed(client(B, A, "web", null)), sharedServer(B, A, "app")))
        .containsExactly("web>app:RPC");
  }

  @Test
  void errors_zipkinErrorTagCountsLikeErrorStatus() {
    Span tagged = Span.newBuilder(client(B, A, "web", "db")).setAttributes(java.util.Map.of("error", "")).build();
    assertThat(edges(server(A, null, "web"), tagged)).containsExactly("web>db:VIRTUAL!");
  }

  @Test
  void loopbackRpc_isKept() {
    assertThat(edges(server(A, null, "web"), client(B, A, "web", "web"))).containsExactly("web>web:VIRTUAL");
    assertThat(edges(server(A, null, "web"), client(B, A, "web", null), server(C, B, "web")))
        .containsExactly("web>web:RPC");
  }

  @Test
  void internalSpans_neverMakeAnEdge_evenNamingAPeer() {
    assertThat(edges(server(A, null, "web"), kind(SpanKind.INTERNAL, B, A, "web", Fixtures.peer("web")),
        kind(SpanKind.INTERNAL, C, A, "web", Fixtures.peer("cache")))).isEmpty();
  }

  @Test
  void spanWithoutKind_isAClientWhenItNamesBothSides_itselfIncluded() {
    assertThat(edges(kind(SpanKind.UNSPECIFIED, A, null, "web", Fixtures.peer("app")))).containsExactly("web>app:VIRTUAL");
    assertThat(edges(server(A, null, "web"), kind(SpanKind.UNSPECIFIED, B, A, "web", Fixtures.peer("web"))))
        .containsExactly("web>web:VIRTUAL");
  }

  @Test
  void childOfASharedId_hangsUnderTheClientHalf_whenItsEndpointDiffersFromTheServerHalf() {
    // C names B as parent and has app's service but another address than app's server half: Zipkin places it
    // under the client half (web), so its client call is backfilled from web, not from app.
    Span serverHalf = Span.newBuilder(sharedServer(B, A, "app")).setResourceAttributes(
        java.util.Map.of(dev.tracepipe.trace.SpanFacts.HOST_IP, "10.0.0.1")).build();
    Span child = Span.newBuilder(client(C, B, "app", "db")).setResourceAttributes(
        java.util.Map.of(dev.tracepipe.trace.SpanFacts.HOST_IP, "10.0.0.2")).build();
    assertThat(edges(server(A, null, "web"), client(B, A, "web", "app"), serverHalf, child))
        .containsExactly("app>db:VIRTUAL", "web>app:RPC", "web>app:RPC");
  }

  @Test
  void untimedHalf_mergedWithItsTimedPiece_linksOnce() {
    Span untimedPiece = Span.newBuilder(sharedServer(B, null, "app")).setUntimed(true).setKind(SpanKind.UNSPECIFIED)
        .build();
    List<Span> merged = dev.tracepipe.trace.HalfMerger.merge(List.of(server(A, null, "web"),
        client(B, A, "web", "app"), sharedServer(B, A, "app"), untimedPiece));
    assertThat(edges(merged.toArray(Span[]::new))).containsExactly("web>app:RPC");
  }

  @Test
  void clientOfAnotherServiceUnderAServer_backfillsTheMissingServerHop() {
    assertThat(edges(server(A, null, "web"), client(B, A, "app", "db")))
        .containsExactly("app>db:VIRTUAL", "web>app:RPC");
  }

  @Test
  void messaging_producerToBrokerAndBrokerToConsumer() {
    assertThat(edges(kind(SpanKind.PRODUCER, A, null, "orders", Fixtures.peer("kafka")),
        kind(SpanKind.CONSUMER, B, A, "billing", Fixtures.peer("kafka"))))
        .containsExactly("kafka>billing:MESSAGING", "orders>kafka:MESSAGING");
  }

  @Test
  void messaging_brokerNamedBySystemAndDestinationWhenNoPeerService() {
    RemotePeer topic = RemotePeer.newBuilder().setMessagingSystem("kafka").setMessagingDestination("orders").build();
    RemotePeer queueOnly = RemotePeer.newBuilder().setMessagingDestination("jobs").build();
    assertThat(edges(kind(SpanKind.PRODUCER, A, null, "shop", topic), kind(SpanKind.CONSUMER, B, A, "billing", topic),
        kind(SpanKind.PRODUCER, C, null, "shop", queueOnly)))
        .containsExactly("kafka/orders>billing:MESSAGING", "shop>jobs:MESSAGING", "shop>kafka/orders:MESSAGING");
  }

  @Test
  void messaging_withoutBrokerNoEdgeAndNoDirectProducerConsumerLink() {
    assertThat(edges(kind(SpanKind.PRODUCER, A, null, "shop", null), kind(SpanKind.CONSUMER, B, A, "billing", null)))
        .isEmpty();
  }

  @Test
  void messaging_serverUnderProducer_isAMessagingEdge() {
    assertThat(edges(kind(SpanKind.PRODUCER, A, null, "shop", null), server(B, A, "billing")))
        .containsExactly("shop>billing:MESSAGING");
  }

  @Test
  void database_namedByPeerServiceElseDbSystem() {
    RemotePeer named = RemotePeer.newBuilder().setService("orders-db").setDbSystem("postgresql").build();
    RemotePeer unnamed = RemotePeer.newBuilder().setDbSystem("redis").setAddress("10.0.0.7").build();
    assertThat(edges(server(A, null, "web"), kind(SpanKind.CLIENT, B, A, "web", named),
        kind(SpanKind.CLIENT, C, A, "web", unnamed)))
        .containsExactly("web>orders-db:DATABASE", "web>redis:DATABASE");
  }

  @Test
  void virtualNode_namedByServerAddressWhenNothingElse() {
    assertThat(edges(server(A, null, "web"), kind(SpanKind.CLIENT, B, A, "web",
        RemotePeer.newBuilder().setAddress("api.partner.example").setPort(443).build())))
        .containsExactly("web>api.partner.example:VIRTUAL");
  }

  @Test
  void headlessSpans_hangUnderTheRoot() {
    assertThat(edges(server(A, null, "web"), server(C, "00000000000000ff", "app"))).containsExactly("web>app:RPC");
  }

  @Test
  void severalRoots_theLowestIdIsTheRoot_whateverTheOrder() {
    List<String> expected = List.of("web>app:RPC");
    assertThat(edges(server(A, null, "web"), server(C, null, "app"))).isEqualTo(expected);
    assertThat(edges(server(C, null, "app"), server(A, null, "web"))).isEqualTo(expected);
  }

  @Test
  void noRoot_unrelatedHeadlessServersAreNotLinked() {
    assertThat(edges(server(B, A, "web"), server(C, A, "app"))).isEmpty();
  }

  @Test
  void missingServiceNames_noEdge() {
    assertThat(edges(client(A, null, "", "app"))).isEmpty(); // who called is unknown
    assertThat(edges(server(A, null, "web"), client(B, A, "web", null))).isEmpty(); // whom is unknown
  }

  @Test
  void allZeroOrSelfParentIdMeansRoot() {
    assertThat(edges(server(A, "0000000000000000", "web"), client(B, A, "web", "db"))).containsExactly("web>db:VIRTUAL");
    assertThat(edges(server(A, A, "web"), client(B, A, "web", "db"))).containsExactly("web>db:VIRTUAL");
  }

  @Test
  void callIdsAreUniqueWithinATrace() {
    List<Call> calls = CallLinker.link(List.of(server(A, null, "web"), client(B, A, "app", "db"),
        client(C, A, "web", null), sharedServer(C, A, "auth"), sharedServer(C, A, "audit")));
    assertThat(calls).extracting(Call::id).doesNotHaveDuplicates().hasSize(4);
  }
}
