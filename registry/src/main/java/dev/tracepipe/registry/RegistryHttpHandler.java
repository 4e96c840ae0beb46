package dev.tracepipe.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tracepipe.registry.SchemaRegistryService.CompatibilityView;
import dev.tracepipe.registry.SchemaRegistryService.VersionView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the Confluent Schema Registry REST paths onto {@link SchemaRegistryService}, JSON in and out. */
final class RegistryHttpHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryService service;

  RegistryHttpHandler(SchemaRegistryService service) {
    this.service = service;
  }

  /** A status and a body: a JSON-serialisable value, or text already in JSON form. */
  private record Response(int status, Object body) {}

  /** A path that exists but not for the request's method. */
  private static final class MethodNotAllowed extends RuntimeException {
    MethodNotAllowed() {
      super("HTTP 405 Method Not Allowed");
    }
  }

  @Override
  public void handle(HttpExchange exchange) {
    Response response;
    try {
      response = route(new RegistryRequest(exchange));
    } catch (RegistryException e) {
      if (e.status() >= 500) {
        LOG.error("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage(), e);
      } else {
        LOG.debug("{} {} -> {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.errorCode(), e.getMessage());
      }
      response = error(e.status(), e.errorCode(), e.getMessage());
    } catch (MethodNotAllowed e) {
      response = error(405, 405, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      response = error(500, 500, "Internal Server Error: " + e);
    }
    try (exchange) {
      send(exchange, response);
    } catch (IOException e) {
      LOG.debug("{} {}: client went away before the response was written: {}", exchange.getRequestMethod(),
          exchange.getRequestURI(), e.getMessage());
    }
  }

  private Response route(RegistryRequest request) {
    List<String> p = request.segments;
    String head = p.isEmpty() ? "" : p.get(0);
    switch (head) {
      case "":
        return only(request, "GET", () -> ok(JSON.createObjectNode()));
      case "subjects":
        return subjects(request, p);
      case "schemas":
        return schemas(request, p);
      case "config":
        return config(request, p);
      case "compatibility":
        if (p.size() >= 4 && p.size() <= 5 && "subjects".equals(p.get(1)) && "versions".equals(p.get(3))) {
          VersionSpec spec = p.size() == 5 ? VersionSpec.parse(p.get(4)) : VersionSpec.LATEST;
          return only(request, "POST", () -> compatibility(request, p.get(2), spec));
        }
        return notFound();
      default:
        return notFound();
    }
  }

  private Response subjects(RegistryRequest request, List<String> p) {
    if (p.size() == 1) {
      return only(request, "GET", () -> ok(service.subjects()));
    }
    String subject = p.get(1);
    if (p.size() == 2) {
      switch (request.method) {
        case "POST":
          return ok(versionJson(service.lookup(subject, request.schemaBody())));
        case "DELETE":
          return ok(service.deleteSubject(subject, request.flag("permanent")));
        default:
          throw new MethodNotAllowed();
      }
    }
    if (!"versions".equals(p.get(2)) || p.size() > 5) {
      return notFound();
    }
    if (p.size() == 3) {
      switch (request.method) {
        case "GET":
          return ok(service.versionNumbers(subject));
        case "POST":
          ObjectNode id = JSON.createObjectNode().put("id", service.register(subject, request.schemaBody()));
          return ok(id);
        default:
          throw new MethodNotAllowed();
      }
    }
    VersionSpec spec = VersionSpec.parse(p.get(3));
    if (p.size() == 4) {
      return only(request, "GET", () -> ok(versionJson(service.version(subject, spec))));
    }
    if ("schema".equals(p.get(4))) {
      return only(request, "GET", () -> new Response(200, new RawJson(service.version(subject, spec).schema())));
    }
    return notFound();
  }

  private Response schemas(RegistryRequest request, List<String> p) {
    if (p.size() == 2 && "types".equals(p.get(1))) {
      return only(request, "GET", () -> ok(List.of("AVRO")));
    }
    if (p.size() < 3 || p.size() > 4 || !"ids".equals(p.get(1))) {
      return notFound();
    }
    int id;
    try {
      id = Integer.parseInt(p.get(2));
    } catch (NumberFormatException e) {
      return notFound();
    }
    if (p.size() == 3) {
      return only(request, "GET", () -> ok(JSON.createObjectNode().put("schema", service.schemaById(id))));
    }
    switch (p.get(3)) {
      case "versions":
        return only(request, "GET", () -> {
          List<ObjectNode> pairs = new ArrayList<>();
          for (VersionView v : service.versionsOfId(id)) {
            pairs.add(JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()));
          }
          return ok(pairs);
        });
      case "schema":
        return only(request, "GET", () -> new Response(200, new RawJson(service.schemaById(id))));
      default:
        return notFound();
    }
  }

  private Response config(RegistryRequest request, List<String> p) {
    if (p.size() > 2) {
      return notFound();
    }
    String subject = p.size() == 2 ? p.get(1) : null;
    switch (request.method) {
      case "GET":
        CompatibilityLevel level = subject == null
            ? service.globalLevel()
            : service.subjectLevel(subject, request.flag("defaultToGlobal"));
        return ok(JSON.createObjectNode().put("compatibilityLevel", level.name()));
      case "PUT":
        JsonNode body = request.jsonBody();
        JsonNode requested = body.get("compatibility");
        String name = requested == null || requested.isNull() ? null : requested.asText();
        if (name == null) {
          throw RegistryException.invalidCompatibilityLevel("null");
        }
        return ok(JSON.createObjectNode().put("compatibility", service.setLevel(subject, name).name()));
      case "DELETE":
        if (subject == null) {
          throw new MethodNotAllowed();
        }
        return ok(JSON.createObjectNode().put("compatibilityLevel", service.deleteSubjectLevel(subject).name()));
      default:
        throw new MethodNotAllowed();
    }
  }

  private Response compatibility(RegistryRequest request, String subject, VersionSpec spec) {
    CompatibilityView result = service.testCompatibility(subject, spec, request.schemaBody());
    ObjectNode body = JSON.createObjectNode().put("is_compatible", result.compatible());
    if (request.flag("verbose")) {
      result.messages().forEach(body.putArray("messages")::add);
    }
    return ok(body);
  }

  private static ObjectNode versionJson(VersionView v) {
    return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
        .put("schema", v.schema());
  }

  private static Response only(RegistryRequest request, String allowed, Supplier<Response> action) {
    if (!allowed.equals(request.method)) {
      throw new MethodNotAllowed();
    }
    return action.get();
  }

  private static Response ok(Object body) {
    return new Response(200, body);
  }

  private static Response notFound() {
    return error(404, 404, "HTTP 404 Not Found");
  }

  private static Response error(int status, int code, String message) {
    return new Response(status, JSON.createObjectNode().put("error_code", code).put("message", message));
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body() instanceof RawJson raw
        ? raw.text().getBytes(StandardCharsets.UTF_8)
        : JSON.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Text that already is JSON (a stored schema) and goes out as it is. */
  private record RawJson(String text) {}
}
