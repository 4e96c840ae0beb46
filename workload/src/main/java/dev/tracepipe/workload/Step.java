package dev.tracepipe.workload;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One thing an operation does while it serves a request; leaves become spans, groups arrange leaves in time. */
sealed interface Step {

  /** The service a leaf step talks to, or null for steps that talk to nobody. */
  default String target() {
    return null;
  }

  /** An HTTP call to an instrumented service: a CLIENT span here, a SERVER span there, made with the given odds. */
  record Call(Operation operation, double probability) implements Step {
    public Call {
      Objects.requireNonNull(operation, "operation == null");
    }

    @Override
    public String target() {
      return operation.service();
    }
  }

  /**
   * A request to a peer that emits no spans (a database query, a cache command, an outside HTTP request): one CLIENT
   * span whose attributes say what was asked.
   */
  record Query(Peer peer, String name, String scope, Map<String, String> attributes, Latency latency,
      double probability, double errorRate) implements Step {
    public Query {
      Objects.requireNonNull(peer, "peer == null");
      Objects.requireNonNull(name, "name == null");
      attributes = Map.copyOf(attributes);
    }

    @Override
    public String target() {
      return peer.service();
    }
  }

  /** A message sent to a broker (PRODUCER span) and, some time later, processed by a consumer in the same trace. */
  record Publish(Peer broker, String destination, Latency latency, Latency consumerLag, Operation consumer)
      implements Step {
    public Publish {
      Objects.requireNonNull(broker, "broker == null");
      Objects.requireNonNull(destination, "destination == null");
      Objects.requireNonNull(consumer, "consumer == null");
    }

    @Override
    public String target() {
      return broker.service();
    }
  }

  /** Work inside the process worth its own INTERNAL span, such as rendering a page. */
  record Work(String name, Latency latency, double probability) implements Step {
    public Work {
      Objects.requireNonNull(name, "name == null");
    }
  }

  /** The body, {@code min..max} times, at most {@code parallelism} at once (1 runs the repetitions one by one). */
  record Repeat(int min, int max, int parallelism, List<Step> body) implements Step {
    public Repeat {
      if (min < 0 || max < min || parallelism < 1) {
        throw new IllegalArgumentException("bad repeat " + min + ".." + max + " x" + parallelism);
      }
      body = List.copyOf(body);
    }
  }

  /** Steps started together; the group ends when the slowest one does. */
  record Parallel(List<Step> steps) implements Step {
    public Parallel {
      steps = List.copyOf(steps);
    }
  }
}
