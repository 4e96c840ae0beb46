package dev.tracepipe.workload;

import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.workload.SpanRecords.Failure;
import dev.tracepipe.workload.SpanRecords.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plays one request through the model and records its spans. Time only moves forward: a step starts where the one
 * before it ended, a callee starts a network hop after its caller's CLIENT span and ends a hop before it, so every
 * span lies inside its parent except the asynchronous consumer of a message.
 */
final class TraceBuilder {
  static final int HTTP_PORT = 8080;
  static final String SERVER_SCOPE = "io.opentelemetry.netty-4.1";
  static final String KAFKA_SCOPE = "io.opentelemetry.kafka-clients-2.6";
  static final double SLOW_HOST_FACTOR = 10;
  static final double SLOW_RELEASE_FACTOR = 4;
  /** How often a failing dependency fails a call; the rest get through, as with a flapping service. */
  static final double FAULT_FAILURE_ODDS = 0.85;
  /** How often a failed call fails its caller too; otherwise the caller degrades gracefully. */
  static final double PROPAGATION_ODDS = 0.6;
  private static final Latency NETWORK = Latency.micros(150, 0.5);
  private static final Latency FAIL_FAST = Latency.micros(800, 0.5);
  private static final long MICROS = 1_000;

  private final SplittableRandom random;
  private final Fleet fleet;
  private final Map<FaultType, Set<String>> faults;
  private final String traceId;
  private final List<Span> spans = new ArrayList<>();

  /** The operation running right now on one instance, and whether a call it made failed. */
  private static final class Frame {
    final Operation operation;
    final Instance at;
    final String spanId;
    String failedCall;

    Frame(Operation operation, Instance at, String spanId) {
      this.operation = operation;
      this.at = at;
      this.spanId = spanId;
    }
  }

  private record Outcome(long endNanos, Failure failure) {}

  TraceBuilder(SplittableRandom random, Fleet fleet, Map<FaultType, Set<String>> faults) {
    this.random = random;
    this.fleet = fleet;
    this.faults = faults;
    this.traceId = Ids.traceId(random);
  }

  /** The spans of one request to a root operation, ordered by start time. */
  List<Span> build(Operation root, long startNanos) {
    long start = startNanos - startNanos % MICROS;
    serve(root, fleet.pick(root.service(), random), null, start, path(root), null);
    spans.sort(Comparator.comparingLong(Span::getStartTimeNanos));
    return spans;
  }

  private Outcome serve(Operation op, Instance at, String parentId, long start, String path, Step.Publish via) {
    String spanId = Ids.spanId(random);
    long selfMicros = Math.round(op.self().sampleMicros(random) * slowness(at));
    Failure failure = null;
    long end;
    if (targeted(FaultType.FAILING_DEPENDENCY, op.service()) && random.nextDouble() < FAULT_FAILURE_ODDS) {
      // Fails before doing any work, as a service out of connections or memory does.
      end = start + FAIL_FAST.sampleMicros(random) * MICROS;
      failure = Failure.thrown(503, "io.netty.channel.StacklessClosedChannelException",
          "Service unavailable: " + op.service() + " has no free connections");
    } else {
      long preMicros = Math.round(selfMicros * (0.2 + 0.4 * random.nextDouble()));
      Frame frame = new Frame(op, at, spanId);
      long cursor = runSteps(op.steps(), frame, start + preMicros * MICROS);
      end = cursor + (selfMicros - preMicros) * MICROS;
      if (frame.failedCall != null && random.nextDouble() < PROPAGATION_ODDS) {
        failure = Failure.reported(502, "Call to " + frame.failedCall + " failed");
      } else if (random.nextDouble() < op.errorRate()) {
        failure = Failure.thrown(500, "java.lang.IllegalStateException",
            "Unexpected error in " + op.name() + " on " + at.host());
      }
    }
    Map<String, String> attributes = via == null
        ? SpanRecords.httpServer(op, path, failure == null ? 200 : failure.httpStatus())
        : SpanRecords.messaging(via.broker(), via.destination(), "process", op.service());
    RemotePeer remote = via == null ? null : via.broker().toRemote(via.destination());
    String scope = via == null ? SERVER_SCOPE : KAFKA_SCOPE;
    spans.add(SpanRecords.span(new Shape(traceId, spanId, parentId, at, op.name(), op.kind(), scope, start, end,
        remote), attributes, failure));
    return new Outcome(end, failure);
  }

  private long runSteps(List<Step> steps, Frame frame, long start) {
    long cursor = start;
    for (Step step : steps) {
      cursor = runStep(step, frame, cursor);
    }
    return cursor;
  }

  private long runStep(Step step, Frame frame, long start) {
    String target = step.target();
    if (target != null && targeted(FaultType.MISSING_CALL, target) && frame.operation.isLastCallInto(step, target)) {
      return start;
    }
    if (step instanceof Step.Call call) {
      return random.nextDouble() < call.probability() ? call(call, frame, start) : start;
    } else if (step instanceof Step.Query query) {
      return random.nextDouble() < query.probability() ? query(query, frame, start) : start;
    } else if (step instanceof Step.Publish publish) {
      return publish(publish, frame, start);
    } else if (step instanceof Step.Work work) {
      return random.nextDouble() < work.probability() ? work(work, frame, start) : start;
    } else if (step instanceof Step.Repeat repeat) {
      return repeat(repeat, frame, start);
    } else if (step instanceof Step.Parallel parallel) {
      long end = start;
      for (Step branch : parallel.steps()) {
        end = Math.max(end, runStep(branch, frame, start + stagger()));
      }
      return end;
    }
    throw new IllegalStateException("unknown step " + step);
  }

  private long call(Step.Call call, Frame frame, long start) {
    Operation callee = call.operation();
    String clientId = Ids.spanId(random);
    String path = path(callee);
    Outcome outcome = serve(callee, fleet.pick(callee.service(), random), clientId, start + network(), path, null);
    long end = outcome.endNanos() + network();
    Failure failure = null;
    if (outcome.failure() != null) {
      failure = Failure.reported(outcome.failure().httpStatus(), "HTTP " + outcome.failure().httpStatus());
      frame.failedCall = callee.service();
    }
    Map<String, String> attributes = SpanRecords.httpClient(callee, path, HTTP_PORT,
        failure == null ? 200 : failure.httpStatus());
    RemotePeer remote = new RemotePeer(null, callee.service(), HTTP_PORT, null, null, null);
    spans.add(SpanRecords.span(new Shape(traceId, clientId, frame.spanId, frame.at, callee.method() + " "
        + callee.route(), SpanKind.CLIENT, ShopModel.HTTP_CLIENT, start, end, remote), attributes, failure));
    return end;
  }

  private long query(Step.Query query, Frame frame, long start) {
    boolean unreachable = targeted(FaultType.FAILING_DEPENDENCY, query.peer().service())
        && random.nextDouble() < FAULT_FAILURE_ODDS;
    long micros = unreachable ? FAIL_FAST.sampleMicros(random) : query.latency().sampleMicros(random);
    Failure failure = unreachable || random.nextDouble() < query.errorRate()
        ? SpanRecords.peerFailure(query.peer(), unreachable) : null;
    Map<String, String> attributes = new HashMap<>(query.attributes());
    int status = failure == null ? 200 : failure.httpStatus();
    if (attributes.containsKey("http.method") && status != 0) {
      attributes.put("http.status_code", Integer.toString(status));
    }
    if (failure != null) {
      frame.failedCall = query.peer().service();
    }
    long end = start + micros * MICROS;
    spans.add(SpanRecords.span(new Shape(traceId, Ids.spanId(random), frame.spanId, frame.at, query.name(),
        SpanKind.CLIENT, query.scope(), start, end, query.peer().toRemote(null)), attributes, failure));
    return end;
  }

  private long publish(Step.Publish publish, Frame frame, long start) {
    String producerId = Ids.spanId(random);
    boolean unreachable = targeted(FaultType.FAILING_DEPENDENCY, publish.broker().service())
        && random.nextDouble() < FAULT_FAILURE_ODDS;
    long end = start + publish.latency().sampleMicros(random) * MICROS;
    Failure failure = unreachable ? SpanRecords.peerFailure(publish.broker(), true) : null;
    if (failure != null) {
      frame.failedCall = publish.broker().service();
    } else {
      // The consumer polls the message some time later, possibly after the whole request has finished.
      long consumerStart = start + publish.consumerLag().sampleMicros(random) * MICROS;
      Operation consumer = publish.consumer();
      serve(consumer, fleet.pick(consumer.service(), random), producerId, consumerStart, null, publish);
    }
    spans.add(SpanRecords.span(new Shape(traceId, producerId, frame.spanId, frame.at,
        publish.destination() + " publish", SpanKind.PRODUCER, KAFKA_SCOPE, start, end,
        publish.broker().toRemote(publish.destination())),
        SpanRecords.messaging(publish.broker(), publish.destination(), "publish", null), failure));
    return end;
  }

  private long work(Step.Work work, Frame frame, long start) {
    long end = start + Math.round(work.latency().sampleMicros(random) * slowness(frame.at)) * MICROS;
    spans.add(SpanRecords.span(new Shape(traceId, Ids.spanId(random), frame.spanId, frame.at, work.name(),
        SpanKind.INTERNAL, "shop." + frame.at.service(), start, end, null), new HashMap<>(2), null));
    return end;
  }

  /** Repetitions go to whichever of the parallel lanes frees up first, as a bounded worker pool would run them. */
  private long repeat(Step.Repeat repeat, Frame frame, long start) {
    int count = repeat.min() + random.nextInt(repeat.max() - repeat.min() + 1);
    long[] lanes = new long[Math.min(repeat.parallelism(), Math.max(count, 1))];
    Arrays.fill(lanes, start);
    for (int i = 0; i < count; i++) {
      int lane = 0;
      for (int l = 1; l < lanes.length; l++) {
        if (lanes[l] < lanes[lane]) {
          lane = l;
        }
      }
      long laneStart = lanes.length > 1 ? lanes[lane] + stagger() : lanes[lane];
      lanes[lane] = runSteps(repeat.body(), frame, laneStart);
    }
    long end = start;
    for (long lane : lanes) {
      end = Math.max(end, lane);
    }
    return end;
  }

  private double slowness(Instance at) {
    double factor = 1;
    if (targeted(FaultType.SLOW_HOST, at.service()) && at == fleet.slowHostOf(at.service())) {
      factor *= SLOW_HOST_FACTOR;
    }
    if (targeted(FaultType.SLOW_RELEASE, at.service()) && at.newVersion()) {
      factor *= SLOW_RELEASE_FACTOR;
    }
    return factor;
  }

  private boolean targeted(FaultType type, String service) {
    Set<String> targets = faults.get(type);
    return targets != null && targets.contains(service);
  }

  private String path(Operation op) {
    return op.route() == null ? null : op.route().replace("{id}", Integer.toString(1 + random.nextInt(99_999)));
  }

  private long network() {
    return NETWORK.sampleMicros(random) * MICROS;
  }

  /** A few microseconds between branches started "together", as threads are never started at the same instant. */
  private long stagger() {
    return (1 + random.nextInt(30)) * MICROS;
  }
}
