package dev.tracepipe.workload;

import static dev.tracepipe.workload.Latency.micros;
import static dev.tracepipe.workload.Latency.millis;

import dev.tracepipe.workload.Step.Call;
import dev.tracepipe.workload.Step.Parallel;
import dev.tracepipe.workload.Step.Publish;
import dev.tracepipe.workload.Step.Query;
import dev.tracepipe.workload.Step.Repeat;
import dev.tracepipe.workload.Step.Work;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An online shop: eleven instrumented services behind a gateway, a PostgreSQL database, a Redis cache, a Kafka topic
 * consumed asynchronously, and two outside HTTP services. Latencies are medians of each operation's own work.
 */
final class ShopModel {
  static final String JDBC = "io.opentelemetry.jdbc";
  static final String LETTUCE = "io.opentelemetry.lettuce-5.1";
  static final String HTTP_CLIENT = "io.opentelemetry.java-http-client";

  static final Peer SHOP_DB = Peer.database("shop-db", "shop-db.internal", 5432, "postgresql");
  static final Peer CACHE = Peer.database("redis", "redis-master.internal", 6379, "redis");
  static final Peer KAFKA = Peer.broker("kafka", "kafka-0.kafka.internal", 9092, "kafka");
  static final Peer OBJECT_STORE = Peer.http("object-store", "objects.internal", 443);
  static final Peer MAIL_RELAY = Peer.http("mail-relay", "mail-relay.internal", 443);

  /** A root operation of the gateway and how often users start it. */
  record Root(Operation operation, double weight) {}

  private ShopModel() {}

  /** Hosts per instrumented service; the front tier runs more copies. */
  static Map<String, Integer> hosts() {
    Map<String, Integer> hosts = new LinkedHashMap<>();
    for (String service : List.of("gateway", "frontend", "auth", "catalog", "cart", "payment", "inventory",
        "recommendation", "images", "order-worker", "notifications")) {
      hosts.put(service, 4);
    }
    hosts.put("frontend", 6);
    hosts.put("catalog", 6);
    return hosts;
  }

  static List<Root> roots() {
    Operation validate = Operation.http("auth", "POST", "/auth/validate", micros(500, 0.4), 0.001,
        redis("GET", "session:{id}", micros(250, 0.35), 1),
        sql("SELECT", "users", "SELECT id, roles FROM users WHERE token = ?", millis(1.5, 0.4), 0.1));
    Operation authorize = Operation.http("auth", "POST", "/auth/authorize", micros(700, 0.4), 0.001,
        sql("SELECT", "permissions", "SELECT scope FROM permissions WHERE user_id = ? AND scope = ?",
            millis(1.5, 0.4), 1));
    Operation stock = Operation.http("inventory", "GET", "/stock/{id}", micros(400, 0.4), 0.001,
        redis("GET", "stock:{id}", micros(250, 0.35), 1));
    Operation reserve = Operation.http("inventory", "POST", "/inventory/reserve", millis(1, 0.4), 0.002,
        sql("UPDATE", "stock", "UPDATE stock SET reserved = reserved + ? WHERE item_id = ?", millis(3, 0.5), 1));
    Operation recommend = Operation.http("recommendation", "GET", "/recommendations", millis(2, 0.6), 0.002,
        new Work("score candidates", millis(6, 0.5), 1),
        redis("MGET", "item:{id}", micros(400, 0.4), 1));
    Operation items = Operation.http("catalog", "GET", "/items", millis(1.5, 0.45), 0.001,
        redis("GET", "catalog:page:{id}", micros(300, 0.35), 1),
        sql("SELECT", "products", "SELECT id, name, price FROM products ORDER BY rank LIMIT ? OFFSET ?",
            millis(6, 0.6), 0.25),
        new Repeat(2, 8, 4, List.of(new Call(stock, 1))));
    Operation item = Operation.http("catalog", "GET", "/items/{id}", micros(600, 0.4), 0.001,
        sql("SELECT", "products", "SELECT id, name, price FROM products WHERE id = ?", millis(2, 0.5), 1));
    Operation reindex = Operation.http("catalog", "POST", "/catalog/reindex", millis(5, 0.3), 0.01,
        sql("SELECT", "products", "SELECT id FROM products WHERE updated_at > ?", millis(20, 0.4), 1),
        new Repeat(520, 800, 8, List.of(
            sql("SELECT", "products", "SELECT * FROM products WHERE id = ?", millis(1.2, 0.4), 1),
            redis("SET", "item:{id}", micros(300, 0.35), 1))));
    Operation email = Operation.http("notifications", "POST", "/notifications/email", millis(1, 0.4), 0.002,
        new Work("render template", millis(3, 0.4), 1),
        outsideHttp(MAIL_RELAY, "POST", "/v3/mail/send", millis(40, 0.5), 1, 0.003));
    Operation processOrder = Operation.consumer("order-worker", "orders", millis(2, 0.4), 0.002,
        sql("UPDATE", "orders", "UPDATE orders SET state = 'PAID' WHERE id = ?", millis(3, 0.5), 1),
        new Call(email, 1));
    Operation pay = Operation.http("payment", "POST", "/payments", millis(3, 0.5), 0.01,
        new Work("fraud check", millis(4, 0.5), 1),
        sql("INSERT", "payments", "INSERT INTO payments (order_id, amount, state) VALUES (?, ?, ?)",
            millis(3, 0.5), 1),
        new Publish(KAFKA, "orders", micros(900, 0.4), millis(25, 0.9), processOrder));
    Operation getCart = Operation.http("cart", "GET", "/cart", micros(800, 0.4), 0.001,
        redis("HGETALL", "cart:{id}", micros(300, 0.35), 1),
        new Repeat(1, 5, 1, List.of(new Call(item, 1))));
    Operation checkoutCart = Operation.http("cart", "POST", "/cart/checkout", millis(1.5, 0.4), 0.002,
        redis("HGETALL", "cart:{id}", micros(300, 0.35), 1),
        new Call(reserve, 1),
        new Call(pay, 1),
        redis("DEL", "cart:{id}", micros(250, 0.35), 1));
    Operation image = Operation.http("images", "GET", "/images/{id}", micros(800, 0.4), 0.001,
        redis("GET", "image:{id}", micros(300, 0.35), 1),
        outsideHttp(OBJECT_STORE, "GET", "/shop-images/{id}", millis(25, 0.6), 0.15, 0.002),
        new Work("resize", millis(4, 0.5), 0.15));

    Operation browse = Operation.http("frontend", "GET", "/catalog/items", millis(2, 0.4), 0.001,
        new Call(validate, 1),
        new Parallel(List.of(new Call(items, 1), new Call(recommend, 1))),
        new Work("render", millis(3, 0.4), 1));
    Operation viewCart = Operation.http("frontend", "GET", "/cart", millis(1.5, 0.4), 0.001,
        new Call(validate, 1),
        new Call(getCart, 1),
        new Work("render", millis(2, 0.4), 1));
    Operation checkout = Operation.http("frontend", "POST", "/checkout", millis(2, 0.4), 0.002,
        new Call(validate, 1),
        new Call(authorize, 1),
        new Call(checkoutCart, 1),
        new Work("render", millis(1, 0.4), 1));

    return List.of(
        new Root(gateway("GET", "/catalog/items", browse), 34),
        new Root(gateway("GET", "/cart", viewCart), 22),
        new Root(gateway("POST", "/checkout", checkout), 10),
        new Root(gateway("GET", "/images", image), 24),
        new Root(Operation.http("gateway", "GET", "/health", micros(150, 0.3), 0), 9.8),
        new Root(gateway("POST", "/admin/reindex", reindex), 0.2));
  }

  private static Operation gateway(String method, String route, Operation downstream) {
    return Operation.http("gateway", method, route, micros(400, 0.35), 0.0005, new Call(downstream, 1));
  }

  private static Query sql(String operation, String table, String statement, Latency latency, double probability) {
    return new Query(SHOP_DB, operation + " shop." + table, JDBC, withPeer(SHOP_DB, Map.of(
        "db.system", "postgresql", "db.name", "shop", "db.operation", operation, "db.sql.table", table,
        "db.statement", statement)), latency, probability, 0.001);
  }

  private static Query redis(String command, String key, Latency latency, double probability) {
    return new Query(CACHE, command, LETTUCE, withPeer(CACHE, Map.of(
        "db.system", "redis", "db.operation", command, "db.statement", command + " " + key)),
        latency, probability, 0.0005);
  }

  private static Query outsideHttp(Peer peer, String method, String path, Latency latency, double probability,
      double errorRate) {
    return new Query(peer, method, HTTP_CLIENT, withPeer(peer, Map.of(
        "http.method", method, "http.url", "https://" + peer.address() + path)), latency, probability, errorRate);
  }

  private static Map<String, String> withPeer(Peer peer, Map<String, String> attributes) {
    Map<String, String> all = new LinkedHashMap<>(attributes);
    all.put("peer.service", peer.service());
    all.put("server.address", peer.address());
    all.put("server.port", String.valueOf(peer.port()));
    return all;
  }
}
