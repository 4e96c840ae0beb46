package dev.tracepipe.workload;

import dev.tracepipe.avro.SpanKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one service does for one kind of request: its own work (log-normal), its error rate and the steps it takes.
 * HTTP operations have a method and route; message handlers are CONSUMER operations without them.
 */
final class Operation {
  private final String service;
  private final String name;
  private final SpanKind kind;
  private final String method;
  private final String route;
  private final Latency self;
  private final double errorRate;
  private final List<Step> steps;
  private final Map<String, Step> lastStepByTarget;

  private Operation(String service, String name, SpanKind kind, String method, String route, Latency self,
      double errorRate, List<Step> steps) {
    this.service = Objects.requireNonNull(service, "service == null");
    this.name = Objects.requireNonNull(name, "name == null");
    this.kind = Objects.requireNonNull(kind, "kind == null");
    this.method = method;
    this.route = route;
    this.self = Objects.requireNonNull(self, "self == null");
    this.errorRate = errorRate;
    this.steps = List.copyOf(steps);
    this.lastStepByTarget = new HashMap<>();
    collectTargets(this.steps);
  }

  /** An HTTP endpoint, named {@code METHOD route} as HTTP server instrumentation names its spans. */
  static Operation http(String service, String method, String route, Latency self, double errorRate,
      Step... steps) {
    return new Operation(service, method + " " + route, SpanKind.SERVER, method, route, self, errorRate,
        List.of(steps));
  }

  /** A message handler, named {@code destination process} as messaging instrumentation names it. */
  static Operation consumer(String service, String destination, Latency self, double errorRate, Step... steps) {
    return new Operation(service, destination + " process", SpanKind.CONSUMER, null, null, self, errorRate,
        List.of(steps));
  }

  String service() {
    return service;
  }

  String name() {
    return name;
  }

  SpanKind kind() {
    return kind;
  }

  /** The HTTP method, null for message handlers. */
  String method() {
    return method;
  }

  /** The HTTP route template, null for message handlers. */
  String route() {
    return route;
  }

  Latency self() {
    return self;
  }

  double errorRate() {
    return errorRate;
  }

  List<Step> steps() {
    return steps;
  }

  /** Whether this is the step a MISSING_CALL fault on its target removes: the operation's last call into it. */
  boolean isLastCallInto(Step step, String target) {
    return lastStepByTarget.get(target) == step;
  }

  private void collectTargets(List<Step> list) {
    for (Step step : list) {
      if (step instanceof Step.Repeat repeat) {
        collectTargets(repeat.body());
      } else if (step instanceof Step.Parallel parallel) {
        collectTargets(parallel.steps());
      } else if (step.target() != null) {
        lastStepByTarget.put(step.target(), step);
      }
    }
  }

  @Override
  public String toString() {
    return service + " " + name;
  }
}
