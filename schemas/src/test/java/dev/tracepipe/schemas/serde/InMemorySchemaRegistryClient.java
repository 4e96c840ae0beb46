package dev.tracepipe.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory for tests, behind the {@code mock://scope} URL as Confluent's serializer offers; every
 * client of one scope sees the same schemas so a serializer and a deserializer built separately agree on ids. Test code
 * only: this module's test jar registers it ({@code META-INF/services}), and the test kit brings that jar to every
 * module's tests.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
  /** The URL prefix it serves. */
  public static final String PREFIX = "mock://";
  private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> ids = new HashMap<>();
  private final Map<String, List<Schema>> subjects = new HashMap<>();

  static InMemorySchemaRegistryClient scope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
  }

  /** What {@link SchemaRegistryClients} finds on the class path for {@code mock://} URLs. */
  public static final class Provider implements SchemaRegistryClientProvider {
    @Override
    public String prefix() {
      return PREFIX;
    }

    @Override
    public SchemaRegistryClient client(String rest) {
      return scope(rest);
    }
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    int id = ids.computeIfAbsent(schema, s -> {
      int next = byId.size() + 1;
      byId.put(next, s);
      return next;
    });
    List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(schema)) {
      versions.add(schema);
    }
    return id;
  }

  @Override
  public synchronized int idOf(String subject, Schema schema) {
    List<Schema> versions = subjects.get(subject);
    if (versions == null || !versions.contains(schema)) {
      throw new SchemaRegistryException("schema not registered under subject " + subject, 404, 40403);
    }
    return ids.get(schema);
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException("schema " + id + " not found", 404, 40403);
    }
    return schema;
  }
}
