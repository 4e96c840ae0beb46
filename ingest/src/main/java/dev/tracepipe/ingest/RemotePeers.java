package dev.tracepipe.ingest;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.SpanKind;
import java.util.Map;

/** Derives the remote side of a call from OpenTelemetry semantic-convention attributes (current and older names). */
final class RemotePeers {
  private RemotePeers() {}

  /**
   * The peer a span talks to, or null when the attributes name none. For SERVER spans server.address is the
   * local server itself, so the peer address comes from client.address instead.
   */
  static RemotePeer fromAttributes(SpanKind kind, Map<String, String> attributes) {
    boolean server = kind == SpanKind.SERVER;
    String address = server
        ? first(attributes, "client.address", "net.peer.name", "net.sock.peer.addr")
        : first(attributes, "server.address", "net.peer.name", "network.peer.address", "net.sock.peer.addr");
    Integer port = port(server
        ? first(attributes, "client.port", "net.peer.port")
        : first(attributes, "server.port", "net.peer.port", "network.peer.port"));
    RemotePeer peer = RemotePeer.newBuilder()
        .setService(first(attributes, "peer.service"))
        .setAddress(address)
        .setPort(port)
        .setDbSystem(first(attributes, "db.system", "db.system.name"))
        .setMessagingSystem(first(attributes, "messaging.system"))
        .setMessagingDestination(first(attributes, "messaging.destination.name", "messaging.destination"))
        .build();
    return isEmpty(peer) ? null : peer;
  }

  static boolean isEmpty(RemotePeer peer) {
    return peer.getService() == null && peer.getAddress() == null && peer.getPort() == null
        && peer.getDbSystem() == null && peer.getMessagingSystem() == null && peer.getMessagingDestination() == null;
  }

  private static String first(Map<String, String> attributes, String... keys) {
    for (String key : keys) {
      String value = attributes.get(key);
      if (value != null && !value.isEmpty()) return value;
    }
    return null;
  }

  /** A port that is not a number in 0..65535 is left out rather than failing the span; the attribute keeps it. */
  static Integer port(String text) {
    if (text == null) return null;
    try {
      int port = Integer.parseInt(text.trim());
      return port >= 0 && port <= 65535 ? port : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
