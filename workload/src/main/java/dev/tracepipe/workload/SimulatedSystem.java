package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A simulated online shop that answers one request at a time with the spans its services would emit. The same seed
 * and start times give the same traces; one instance is meant for one thread, while {@link Faults} may be shared.
 */
public final class SimulatedSystem {
  private final SplittableRandom random;
  private final Faults faults;
  private final Fleet fleet = new Fleet(ShopModel.hosts());
  private final List<ShopModel.Root> roots = ShopModel.roots();
  private final double totalWeight = roots.stream().mapToDouble(ShopModel.Root::weight).sum();

  public SimulatedSystem(long seed) {
    this(seed, new Faults());
  }

  /** A system whose faults are switched through the given, possibly shared, {@link Faults}. */
  public SimulatedSystem(long seed, Faults faults) {
    this.random = new SplittableRandom(seed);
    this.faults = Objects.requireNonNull(faults, "faults == null");
  }

  public Faults faults() {
    return faults;
  }

  /** The spans of the next request, a root operation picked by its share of traffic, starting at the given time. */
  public List<Span> nextTrace(long startEpochNanos) {
    double pick = random.nextDouble() * totalWeight;
    for (ShopModel.Root root : roots) {
      pick -= root.weight();
      if (pick < 0) {
        return build(root.operation(), startEpochNanos);
      }
    }
    return build(roots.get(roots.size() - 1).operation(), startEpochNanos);
  }

  /** The spans of a request to one root operation, e.g. {@code POST /checkout}. */
  public List<Span> nextTrace(String rootOperation, long startEpochNanos) {
    Objects.requireNonNull(rootOperation, "rootOperation == null");
    return roots.stream()
        .filter(root -> root.operation().name().equals(rootOperation))
        .findFirst()
        .map(root -> build(root.operation(), startEpochNanos))
        .orElseThrow(() -> new IllegalArgumentException("unknown root operation " + rootOperation
            + ", known: " + rootOperations()));
  }

  /** The gateway operations that start traces, e.g. {@code GET /cart}. */
  public List<String> rootOperations() {
    return roots.stream().map(root -> root.operation().name()).toList();
  }

  /** The instrumented services, which emit spans of their own. */
  public List<String> services() {
    return fleet.services();
  }

  /** The peers that emit no spans and appear only as the remote side of CLIENT and PRODUCER spans. */
  public List<String> peers() {
    return List.of(ShopModel.SHOP_DB.service(), ShopModel.CACHE.service(), ShopModel.KAFKA.service(),
        ShopModel.OBJECT_STORE.service(), ShopModel.MAIL_RELAY.service());
  }

  /** The host names a service runs on. */
  public List<String> hostsOf(String service) {
    return fleet.instancesOf(service).stream().map(Instance::host).toList();
  }

  /** The host a {@link FaultType#SLOW_HOST} fault on the service slows down. */
  public String slowHostOf(String service) {
    return fleet.slowHostOf(service).host();
  }

  /** The version being rolled out for a service, which a {@link FaultType#SLOW_RELEASE} fault slows down. */
  public String newVersionOf(String service) {
    return fleet.instancesOf(service).stream().filter(Instance::newVersion).findFirst().orElseThrow().version();
  }

  /**
   * Checks that a fault aims at something this system has: a slow host or release needs an instrumented service,
   * a missing call or failing dependency may also aim at a peer.
   *
   * @throws IllegalArgumentException naming the known targets when it does not
   */
  public void checkTarget(Fault fault) {
    Objects.requireNonNull(fault, "fault == null");
    boolean needsHosts = fault.type() == FaultType.SLOW_HOST || fault.type() == FaultType.SLOW_RELEASE;
    boolean known = services().contains(fault.service()) || !needsHosts && peers().contains(fault.service());
    if (!known) {
      throw new IllegalArgumentException("fault " + fault + " aims at no " + (needsHosts ? "service" : "service or peer")
          + " of the simulated shop; services: " + services() + (needsHosts ? "" : ", peers: " + peers()));
    }
  }

  private List<Span> build(Operation root, long startEpochNanos) {
    return new TraceBuilder(random, fleet, faults.snapshot()).build(root, startEpochNanos);
  }
}
