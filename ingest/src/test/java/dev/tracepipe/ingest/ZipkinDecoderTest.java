package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinDecoderTest {
  private final SpanValidator replayValidator = new SpanValidator(IngestLimits.DEFAULTS.withoutTimestampWindow());

  private List<Span> acceptedSpans(Decoded decoded) {
    return decoded.spans().stream().map(c -> replayValidator.validate(c.span(), Fixtures.NOW_MILLIS))
        .map(v -> {
          assertThat(v).isInstanceOf(Verdict.Accepted.class);
          return ((Verdict.Accepted) v).span();
        }).toList();
  }

  @ParameterizedTest
  @CsvSource({
      "smartthings-oauth-authorization.json, 175, 'account,auth,bouncer,datamgmt,dove,paperboy,pusher,stlogin'",
      "messaging-kafka.json, 28, 'servicea,serviceb'",
      "messaging.json, 4, 'backend,frontend'",
      "messaging2.json, 11, 'auth-service,mobile-gateway,notification-service,transfer-service'",
      "ascend.json, 8, 'auth-service,content-service,mobile-gateway'",
      "simple-db-p6.json, 5, 'bootifulmeters'",
      "skew.json, 4, 'servicea,serviceb'",
      "envoy.json, 1, 'unknown_service'"})
  void realSamplesDecodeCompletelyInJsonAndProto3(String file, int spanCount, String services) {
    byte[] json = TestData.bytes("zipkin/" + file);
    Decoded fromJson = ZipkinDecoder.decode(json);
    assertThat(fromJson.failures()).isEmpty();
    List<Span> spans = acceptedSpans(fromJson);
    assertThat(spans).hasSize(spanCount);
    Set<String> serviceNames = spans.stream().map(Span::getService).collect(Collectors.toCollection(TreeSet::new));
    assertThat(serviceNames).containsExactly(services.split(","));
    assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).hasSize(32));
    assertThat(spans.stream().map(Span::getTraceId).distinct()).hasSize(1);

    byte[] proto3 = SpanBytesEncoder.PROTO3.encodeList(SpanBytesDecoder.JSON_V2.decodeList(json));
    Decoded fromProto = ZipkinDecoder.decode(proto3);
    assertThat(fromProto.format()).isEqualTo(InputFormat.ZIPKIN_PROTO3);
    // The sample has IPv4 text such as "52.0.0.04", which JSON keeps and proto3 (4 bytes) writes as "52.0.0.4".
    assertThat(acceptedSpans(fromProto)).containsExactlyElementsOf(spans.stream().map(ZipkinDecoderTest::plainIps).toList());
  }

  private static Span plainIps(Span span) {
    Span.Builder out = Span.newBuilder(span);
    out.getResourceAttributes().computeIfPresent("host.ip", (k, ip) -> plainIp(ip));
    if (span.getRemote() != null && span.getRemote().getAddress() != null) {
      out.setRemote(RemotePeer.newBuilder(span.getRemote()).setAddress(plainIp(span.getRemote().getAddress())).build());
    }
    return out.build();
  }

  private static String plainIp(String ip) {
    return ip.matches("[0-9.]+") ? ip.replaceAll("(^|\\.)0+(\\d)", "$1$2") : ip;
  }

  @Test
  void samplesOfTheV2FormatAreDetectedAsV2() {
    assertThat(ZipkinDecoder.decode(TestData.bytes("zipkin/smartthings-oauth-authorization.json")).format())
        .isEqualTo(InputFormat.ZIPKIN_JSON_V2);
  }

  @Test
  void fieldsOfASharedServerSpanWithAnErrorTagAreMapped() {
    Span span = acceptedSpans(ZipkinDecoder.decode(TestData.bytes("zipkin/smartthings-oauth-authorization.json")))
        .stream().filter(s -> s.getSpanId().equals("c47bff7f7964b321")).findFirst().orElseThrow();
    assertThat(span.getTraceId()).isEqualTo("00000000000000008ce82b2e9ed820ba");
    assertThat(span.getParentSpanId()).isEqualTo("be232464081e613d");
    assertThat(span.getShared()).isTrue();
    assertThat(span.getService()).isEqualTo("auth");
    assertThat(span.getName()).isEqualTo("post /sso/authenticate");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getStartTimeNanos()).isEqualTo(1_543_334_661_606_025_000L);
    assertThat(span.getDurationNanos()).isEqualTo(3_041_000L);
    assertThat(span.getStatus()).isEqualTo(new Status(StatusCode.ERROR, "401"));
    assertThat(span.getAttributes()).containsEntry("http.path", "/sso/authenticate").containsEntry("error", "401");
    assertThat(span.getResourceAttributes()).containsEntry("service.name", "auth").containsEntry("host.ip", "10.0.0.63");
    assertThat(span.getRemote()).isEqualTo(new RemotePeer(null, "52.0.0.9", 51436, null, null, null));
  }

  @Test
  void annotationsBecomeEvents() {
    List<Span> spans = acceptedSpans(ZipkinDecoder.decode(TestData.bytes("zipkin/smartthings-oauth-authorization.json")));
    assertThat(spans.stream().mapToInt(s -> s.getEvents().size()).sum()).isEqualTo(9);
    assertThat(spans.stream().flatMap(s -> s.getEvents().stream()))
        .allSatisfy(e -> assertThat(e.getTimeNanos() % 1000).isZero());
  }

  @Test
  void kafkaRemoteEndpointAndTopicTagMakeAMessagingPeer() {
    Span consumer = acceptedSpans(ZipkinDecoder.decode(TestData.bytes("zipkin/messaging-kafka.json"))).get(0);
    assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(consumer.getRemote()).isEqualTo(new RemotePeer("kafka", null, null, null, "kafka", "messages"));
  }

  @Test
  void spansWithoutKindAreUnspecifiedAndHaveNoRemote() {
    Span local = acceptedSpans(ZipkinDecoder.decode(TestData.bytes("zipkin/messaging-kafka.json"))).get(1);
    assertThat(local.getKind()).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(local.getRemote()).isNull();
  }

  @Test
  void upperCaseIdsAreAcceptedAndLowerCased() {
    byte[] json = ("[{\"traceId\":\"463AC35C9F6413AD\",\"id\":\"00F067AA0BA902B7\",\"name\":\"get\","
        + "\"timestamp\":1714564795000000,\"duration\":10,\"localEndpoint\":{\"serviceName\":\"cart\"}}]")
        .getBytes(StandardCharsets.UTF_8);
    Span span = acceptedSpans(ZipkinDecoder.decode(json)).get(0);
    assertThat(span.getTraceId()).isEqualTo("0000000000000000463ac35c9f6413ad");
    assertThat(span.getSpanId()).isEqualTo("00f067aa0ba902b7");
  }

  @Test
  void badSpansAreRejectedAloneWhileTheirNeighboursDecode() throws Exception {
    String good = "{\"traceId\":\"463ac35c9f6413ad\",\"id\":\"0000000000000001\",\"timestamp\":1714564795000000,"
        + "\"duration\":10,\"localEndpoint\":{\"serviceName\":\"cart\"}}";
    String zeroTrace = "{\"traceId\":\"0000000000000000\",\"id\":\"0000000000000002\",\"timestamp\":1714564795000000}";
    String negative = "{\"traceId\":\"463ac35c9f6413ad\",\"id\":\"0000000000000003\",\"timestamp\":1714564795000000,"
        + "\"duration\":-5,\"localEndpoint\":{\"serviceName\":\"cart\"}}";
    String badParent = "{\"traceId\":\"463ac35c9f6413ad\",\"parentId\":\"xyz\",\"id\":\"0000000000000004\"}";
    String notAnObject = "42";
    byte[] message = ("[" + String.join(",", good, zeroTrace, negative, badParent, notAnObject) + "]")
        .getBytes(StandardCharsets.UTF_8);
    Decoded decoded = ZipkinDecoder.decode(message);
    assertThat(decoded.spans()).extracting(c -> c.span().getSpanId()).containsExactly("0000000000000001");
    assertThat(decoded.failures()).extracting(DeadLetter::reason).containsExactly(RejectReason.INVALID_TRACE_ID,
        RejectReason.NEGATIVE_DURATION, RejectReason.INVALID_PARENT_SPAN_ID, RejectReason.UNDECODABLE);
    assertThat(decoded.failures().get(1).traceId()).isEqualTo("0000000000000000463ac35c9f6413ad");
    assertThat(SpanBytesDecoder.JSON_V2.decodeList(decoded.failures().get(1).payload()))
        .as("a rejected span's payload is a list of that span alone").hasSize(1);
    assertThat(OtlpJson.MAPPER.readTree(decoded.failures().get(1).payload()))
        .isEqualTo(OtlpJson.MAPPER.readTree("[" + negative + "]"));
  }

  @Test
  void proto3SpanWithZeroTraceIdIsRejectedAloneWithItsReason() {
    zipkin2.Span good = zipkin2.Span.newBuilder().traceId("463ac35c9f6413ad").id("0000000000000001")
        .timestamp(1714564795000000L).duration(10L).build();
    byte[] goodList = SpanBytesEncoder.PROTO3.encodeList(List.of(good));
    // Zipkin's encoder refuses a zero trace id, so splice one in: field 1 (trace_id) holds 8 zero bytes.
    byte[] zero = goodList.clone();
    for (int i = 4; i < 12; i++) zero[i] = 0;
    byte[] message = new byte[goodList.length + zero.length];
    System.arraycopy(zero, 0, message, 0, zero.length);
    System.arraycopy(goodList, 0, message, zero.length, goodList.length);
    Decoded decoded = ZipkinDecoder.decode(message);
    assertThat(decoded.spans()).singleElement().satisfies(c -> assertThat(c.span().getSpanId())
        .isEqualTo("0000000000000001"));
    assertThat(decoded.failures()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(RejectReason.INVALID_TRACE_ID);
      assertThat(f.payload()).isEqualTo(zero);
    });
  }

  @Test
  void undetectableAndTruncatedMessagesAreUndecodableWhole() {
    byte[] garbage = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(ZipkinDecoder.decode(garbage).failures()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(RejectReason.UNDECODABLE);
      assertThat(f.format()).isEqualTo(InputFormat.ZIPKIN_UNKNOWN);
      assertThat(f.payload()).isEqualTo(garbage);
    });
    byte[] json = TestData.bytes("zipkin/skew.json");
    byte[] cut = java.util.Arrays.copyOf(json, json.length / 2);
    assertThat(ZipkinDecoder.decode(cut).failures()).singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo(RejectReason.UNDECODABLE));
    byte[] proto = SpanBytesEncoder.PROTO3.encodeList(SpanBytesDecoder.JSON_V2.decodeList(json));
    byte[] cutProto = java.util.Arrays.copyOf(proto, proto.length - 3);
    Decoded decoded = ZipkinDecoder.decode(cutProto);
    assertThat(decoded.spans()).isEmpty();
    assertThat(decoded.failures()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(RejectReason.UNDECODABLE);
      assertThat(f.payload()).isEqualTo(cutProto);
    });
  }

  @Test
  void v1JsonIsReadToo() {
    byte[] v1 = ("[{\"traceId\":\"463ac35c9f6413ad\",\"id\":\"0000000000000001\",\"name\":\"get\","
        + "\"timestamp\":1714564795000000,\"duration\":10,\"annotations\":[{\"timestamp\":1714564795000000,"
        + "\"value\":\"sr\",\"endpoint\":{\"serviceName\":\"cart\"}}],\"binaryAnnotations\":[]}]")
        .getBytes(StandardCharsets.UTF_8);
    Decoded decoded = ZipkinDecoder.decode(v1);
    assertThat(decoded.format()).isEqualTo(InputFormat.ZIPKIN_JSON_V1);
    Set<String> services = new HashSet<>();
    acceptedSpans(decoded).forEach(s -> services.add(s.getService()));
    assertThat(services).containsExactly("cart");
    assertThat(acceptedSpans(decoded).get(0).getKind()).isEqualTo(SpanKind.SERVER);
  }
}
