package dev.tracepipe.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the Zipkin v2 JSON samples in shared/testdata into canonical spans (µs to ns, ids padded, lower case). */
final class ZipkinJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where ingest places untimed spans: their arrival, here a fixed time after the samples' own. */
  static final long ARRIVAL_NANOS = 1_700_000_001_000_000_000L;

  private ZipkinJson() {}

  /** The shared/testdata/zipkin folder, found by walking up from the working directory. */
  static Path samples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/testdata/zipkin");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no shared/testdata/zipkin above " + Path.of("").toAbsolutePath());
  }

  static List<Span> sample(String fileName) {
    return read(samples().resolve(fileName));
  }

  static List<Span> read(Path file) {
    try {
      List<Span> spans = new ArrayList<>();
      for (JsonNode node : JSON.readTree(file.toFile())) {
        spans.add(toSpan(node));
      }
      return spans;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Span toSpan(JsonNode n) {
    Map<String, String> tags = new HashMap<>();
    n.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    Map<String, String> resource = new HashMap<>();
    JsonNode local = n.path("localEndpoint");
    String ip = local.path("ipv4").asText(local.path("ipv6").asText(""));
    if (!ip.isEmpty()) {
      resource.put("host.ip", ip);
    }
    if (local.has("port")) {
      resource.put("host.port", local.get("port").asText());
    }
    JsonNode remoteNode = n.path("remoteEndpoint");
    RemotePeer remote = remoteNode.isMissingNode() ? null : RemotePeer.newBuilder()
        .setService(text(remoteNode, "serviceName"))
        .setAddress(text(remoteNode, "ipv4"))
        .setPort(remoteNode.has("port") ? remoteNode.get("port").asInt() : null)
        .build();
    return Span.newBuilder()
        .setTraceId(pad(n.get("traceId").asText(), 32))
        .setSpanId(pad(n.get("id").asText(), 16))
        .setParentSpanId(n.has("parentId") ? pad(n.get("parentId").asText(), 16) : null)
        .setShared(n.path("shared").asBoolean(false))
        .setService(local.path("serviceName").asText("unknown_service"))
        .setName(n.path("name").asText(""))
        .setKind(n.has("kind") ? SpanKind.valueOf(n.get("kind").asText()) : SpanKind.UNSPECIFIED)
        // as ingest does: a span without timestamp is kept, flagged and placed at its arrival
        .setUntimed(!n.has("timestamp"))
        .setStartTimeNanos(n.has("timestamp") ? n.get("timestamp").asLong() * 1000 : ARRIVAL_NANOS)
        .setDurationNanos(n.path("duration").asLong(0) * 1000)
        .setStatus(new Status(tags.containsKey("error") ? StatusCode.ERROR : StatusCode.UNSET, tags.get("error")))
        .setAttributes(tags)
        .setResourceAttributes(resource)
        .setRemote(remote)
        .build();
  }

  private static String text(JsonNode node, String field) {
    return node.has(field) ? node.get(field).asText() : null;
  }

  private static String pad(String hex, int length) {
    String lower = hex.toLowerCase(Locale.ROOT);
    return lower.length() >= length ? lower : "0".repeat(length - lower.length()) + lower;
  }
}
