package dev.tracepipe.platform;

import dev.tracepipe.platform.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Named liveness checks served at {@code /health}: 200 while every check is up, 503 with the failing ones otherwise. */
public final class Health {
  /** One check's verdict. */
  public record Check(boolean up, String detail) {}

  private final Map<String, Supplier<Check>> checks = new ConcurrentHashMap<>();

  public void register(String name, Supplier<Check> check) {
    checks.put(name, check);
  }

  public HttpResponse report() {
    Map<String, Object> body = new TreeMap<>();
    boolean allUp = true;
    for (var entry : new TreeMap<>(checks).entrySet()) {
      Check check = entry.getValue().get();
      allUp &= check.up();
      body.put(entry.getKey(), Map.of("up", check.up(), "detail", check.detail()));
    }
    body.put("status", allUp ? "UP" : "DOWN");
    return HttpResponse.json(allUp ? 200 : 503, body);
  }
}
