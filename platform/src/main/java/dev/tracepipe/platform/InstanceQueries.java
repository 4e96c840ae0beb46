package dev.tracepipe.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Queries across the instances of one Kafka Streams application: ask the instance whose active partition owns a key,
 * or gather every instance's local answer for a listing. Another instance is asked over HTTP at an {@code /internal}
 * path; one that cannot answer fails the whole query with 503 rather than returning a silently partial result.
 */
public final class InstanceQueries {
  /** A local answer as bytes, or empty when this instance has nothing (a 404 when asked remotely). */
  @FunctionalInterface
  public interface LocalAnswer {
    Optional<byte[]> get() throws Exception;
  }

  private final KafkaStreams streams;
  private final HostInfo self;
  private final Peers peers;
  private final Duration timeout;

  /** @param self this instance's {@code application.server}, or null when it runs alone */
  public InstanceQueries(KafkaStreams streams, HostInfo self, Duration timeout) {
    this(streams, self, timeout, Peers.plain());
  }

  /** @param peers how this process calls another instance: scheme, trust store and credential */
  public InstanceQueries(KafkaStreams streams, HostInfo self, Duration timeout, Peers peers) {
    this.streams = Objects.requireNonNull(streams, "streams == null");
    this.self = self;
    this.timeout = Objects.requireNonNull(timeout, "timeout == null");
    this.peers = Objects.requireNonNull(peers, "peers == null");
  }

  /** From the configuration's {@code application.server}, when set. */
  public static InstanceQueries of(KafkaStreams streams, TracepipeConfig config, Duration timeout) {
    return of(streams, config, timeout, Peers.plain());
  }

  /** From the configuration's {@code application.server}, calling other instances the way {@code peers} does. */
  public static InstanceQueries of(KafkaStreams streams, TracepipeConfig config, Duration timeout, Peers peers) {
    HostInfo self = config.find(TracepipeConfig.APPLICATION_SERVER).map(HostInfo::buildFromEndpoint).orElse(null);
    return new InstanceQueries(streams, self, timeout, peers);
  }

  /**
   * The owner's answer for a key: computed here when this instance owns it (or runs alone), else fetched from
   * {@code internalPathAndQuery} on the owner. Empty when the owner has nothing.
   */
  public <K> Optional<byte[]> askOwner(String store, K key, Serializer<K> keySerializer, String internalPathAndQuery,
      LocalAnswer local) throws Exception {
    if (self == null) return local.get();
    KeyQueryMetadata owner = streams.queryMetadataForKey(store, key, keySerializer);
    if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) || owner.activeHost() == null) {
      throw new HttpException(503, "no instance owns this key of " + store + " right now; retry");
    }
    if (owner.activeHost().equals(self)) return local.get();
    return await(fetch(owner.activeHost(), internalPathAndQuery));
  }

  /**
   * Every instance's answer to a listing, this instance's computed here: {@code local} for this one and
   * {@code internalPathAndQuery} fetched from each other instance that hosts the store.
   */
  public List<byte[]> gather(String store, String internalPathAndQuery, Supplier<byte[]> local) {
    List<CompletableFuture<Optional<byte[]>>> remote = new ArrayList<>();
    if (self != null) {
      Collection<StreamsMetadata> instances = streams.streamsMetadataForStore(store);
      if (instances.isEmpty()) throw new HttpException(503, store + " is not assigned to any instance yet; retry");
      for (StreamsMetadata instance : instances) {
        HostInfo host = instance.hostInfo();
        if (host.equals(self)) continue;
        if (host.port() < 0) throw new HttpException(503, "an instance has no application.server; cannot ask it");
        remote.add(fetch(host, internalPathAndQuery));
      }
    }
    List<byte[]> answers = new ArrayList<>();
    answers.add(local.get());
    for (CompletableFuture<Optional<byte[]>> answer : remote) await(answer).ifPresent(answers::add);
    return answers;
  }

  /** {@link #gather} for JSON: this instance's answer written as JSON, every answer read back as a tree. */
  public List<JsonNode> gatherJson(String store, String internalPathAndQuery, Supplier<?> local) {
    List<JsonNode> trees = new ArrayList<>();
    for (byte[] answer : gather(store, internalPathAndQuery, () -> writeJson(local.get()))) {
      try {
        trees.add(HttpApi.JSON.readTree(answer));
      } catch (IOException e) {
        throw new HttpException(503, "an instance answered unreadable JSON: " + e.getMessage());
      }
    }
    return trees;
  }

  private static byte[] writeJson(Object value) {
    try {
      return HttpApi.JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CompletableFuture<Optional<byte[]>> fetch(HostInfo host, String pathAndQuery) {
    HttpRequest request = peers.request(host.host(), host.port(), pathAndQuery).timeout(timeout).GET().build();
    return peers.client().sendAsync(request, BodyHandlers.ofByteArray()).thenApply(response -> {
      if (response.statusCode() == 404) return Optional.<byte[]>empty();
      if (response.statusCode() != 200) {
        throw new HttpException(503, "instance " + host + " answered " + response.statusCode() + ": "
            + new String(response.body(), StandardCharsets.UTF_8));
      }
      return Optional.of(response.body());
    });
  }

  private static Optional<byte[]> await(CompletableFuture<Optional<byte[]>> answer) {
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof HttpException http) throw http;
      if (e.getCause() instanceof IOException io) {
        throw new HttpException(503, "another instance did not answer: " + io);
      }
      throw new HttpException(503, "another instance did not answer: " + e.getCause());
    }
  }
}
