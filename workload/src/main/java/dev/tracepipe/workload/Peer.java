package dev.tracepipe.workload;

import dev.tracepipe.avro.RemotePeer;
import java.util.Objects;

/**
 * Something the system calls that emits no spans of its own: a database, a cache, a broker, an outside HTTP service.
 *
 * @param dbSystem e.g. {@code postgresql} or {@code redis}, null when the peer is no database
 * @param messagingSystem e.g. {@code kafka}, null when the peer is no broker
 */
record Peer(String service, String address, int port, String dbSystem, String messagingSystem) {
  Peer {
    Objects.requireNonNull(service, "service == null");
    Objects.requireNonNull(address, "address == null");
  }

  static Peer database(String service, String address, int port, String dbSystem) {
    return new Peer(service, address, port, dbSystem, null);
  }

  static Peer broker(String service, String address, int port, String messagingSystem) {
    return new Peer(service, address, port, null, messagingSystem);
  }

  static Peer http(String service, String address, int port) {
    return new Peer(service, address, port, null, null);
  }

  /** The peer as a span records it; a new object each time because spans are mutable. */
  RemotePeer toRemote(String destination) {
    return new RemotePeer(service, address, port, dbSystem, messagingSystem, destination);
  }
}
