package dev.tracepipe.workload;

import static dev.tracepipe.workload.TraceFixtures.durations;
import static dev.tracepipe.workload.TraceFixtures.isServer;
import static dev.tracepipe.workload.TraceFixtures.median;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.StatusCode;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Each fault is compared with the same seed's traffic without it. */
class FaultInjectionTest {
  private static final long SEED = 11;
  private static final int TRACES = 600;

  @Test
  void slowHostSlowsOneHostOfTheServiceOnly() {
    SimulatedSystem system = new SimulatedSystem(SEED);
    String slowHost = system.slowHostOf("payment");
    List<Span> before = checkouts(system, null);
    List<Span> after = checkouts(new SimulatedSystem(SEED), new Fault(FaultType.SLOW_HOST, "payment"));

    Predicate<Span> onSlowHost = s -> isServer(s, "payment") && host(s).equals(slowHost);
    Predicate<Span> onOtherHosts = s -> isServer(s, "payment") && !host(s).equals(slowHost);
    assertThat(median(durations(after, onSlowHost))).isGreaterThan(4 * median(durations(before, onSlowHost)));
    assertThat(ratio(median(durations(after, onOtherHosts)), median(durations(before, onOtherHosts))))
        .isBetween(0.8, 1.25);
    Predicate<Span> auth = s -> isServer(s, "auth");
    assertThat(ratio(median(durations(after, auth)), median(durations(before, auth)))).isBetween(0.8, 1.25);
  }

  @Test
  void slowReleaseSlowsTheNewVersionOnly() {
    SimulatedSystem system = new SimulatedSystem(SEED);
    String newVersion = system.newVersionOf("payment");
    List<Span> before = checkouts(system, null);
    List<Span> after = checkouts(new SimulatedSystem(SEED), new Fault(FaultType.SLOW_RELEASE, "payment"));

    Predicate<Span> onNew = s -> isServer(s, "payment") && version(s).equals(newVersion);
    Predicate<Span> onOld = s -> isServer(s, "payment") && !version(s).equals(newVersion);
    assertThat(median(durations(after, onNew))).isGreaterThan(2 * median(durations(before, onNew)));
    assertThat(ratio(median(durations(after, onOld)), median(durations(before, onOld)))).isBetween(0.8, 1.25);
  }

  @Test
  void missingCallDropsCheckoutsSecondCallFromFrontendToAuth() {
    List<List<Span>> before = TraceFixtures.traces(new SimulatedSystem(SEED), "POST /checkout", 200);
    SimulatedSystem faulty = new SimulatedSystem(SEED);
    faulty.faults().activate(Fault.parse("missing-call:auth"));
    List<List<Span>> after = TraceFixtures.traces(faulty, "POST /checkout", 200);

    assertThat(before).allSatisfy(trace -> assertThat(callsFromFrontendToAuth(trace))
        .containsExactly("POST /auth/validate", "POST /auth/authorize"));
    assertThat(after).allSatisfy(trace -> assertThat(callsFromFrontendToAuth(trace))
        .containsExactly("POST /auth/validate"));
    assertThat(TraceFixtures.spans(after)).noneMatch(s -> s.getName().equals("SELECT shop.permissions"));
  }

  @Test
  void failingDependencyMakesMostCallsIntoTheServiceFailAndCallersToo() {
    List<Span> before = checkouts(new SimulatedSystem(SEED), null);
    List<Span> after = checkouts(new SimulatedSystem(SEED), Fault.parse("failing-dependency:inventory"));

    Predicate<Span> inventory = s -> isServer(s, "inventory");
    assertThat(errorShare(before, inventory)).isLessThan(0.02);
    assertThat(errorShare(after, inventory)).isGreaterThan(0.7);
    assertThat(share(after, s -> inventory.test(s) && s.getStatus().getCode() == StatusCode.ERROR,
        s -> s.getAttributes().get("http.status_code").equals("503"))).isGreaterThan(0.95);
    Predicate<Span> callsFromCart = s -> s.getService().equals("cart") && s.getKind() == SpanKind.CLIENT
        && "inventory".equals(s.getRemote().getAddress());
    assertThat(errorShare(after, callsFromCart)).isGreaterThan(0.7);
    Predicate<Span> roots = s -> s.getParentSpanId() == null;
    assertThat(errorShare(after, roots)).isGreaterThan(0.1);
    assertThat(errorShare(before, roots)).isLessThan(0.05);
  }

  @Test
  void failingDependencyOnAPeerFailsTheClientSpansThatCallIt() {
    List<Span> after = checkouts(new SimulatedSystem(SEED), Fault.parse("failing-dependency:shop-db"));
    Predicate<Span> database = s -> s.getRemote() != null && "shop-db".equals(s.getRemote().getService());
    assertThat(errorShare(after, database)).isGreaterThan(0.7);
    assertThat(share(after, s -> database.test(s) && s.getStatus().getCode() == StatusCode.ERROR,
        s -> s.getStatus().getMessage().contains("refused"))).isGreaterThan(0.95);
  }

  @Test
  void switchingAFaultOffRestoresNormalTraffic() {
    SimulatedSystem system = new SimulatedSystem(SEED);
    Fault fault = Fault.parse("failing-dependency:inventory");
    system.faults().activate(fault);
    system.faults().deactivate(fault);
    List<Span> after = TraceFixtures.spans(TraceFixtures.traces(system, "POST /checkout", TRACES));
    assertThat(errorShare(after, s -> isServer(s, "inventory"))).isLessThan(0.02);
  }

  private static List<Span> checkouts(SimulatedSystem system, Fault fault) {
    if (fault != null) {
      system.faults().activate(fault);
    }
    return TraceFixtures.spans(TraceFixtures.traces(system, "POST /checkout", TRACES));
  }

  private static List<String> callsFromFrontendToAuth(List<Span> trace) {
    return trace.stream()
        .filter(s -> s.getService().equals("frontend") && s.getKind() == SpanKind.CLIENT
            && "auth".equals(s.getRemote().getAddress()))
        .map(Span::getName)
        .toList();
  }

  private static double errorShare(List<Span> spans, Predicate<Span> filter) {
    return share(spans, filter, s -> s.getStatus().getCode() == StatusCode.ERROR);
  }

  /** The share of spans passing {@code filter} that also pass {@code test}. */
  private static double share(List<Span> spans, Predicate<Span> filter, Predicate<Span> test) {
    List<Span> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("spans to measure").isNotEmpty();
    return (double) matching.stream().filter(test).count() / matching.size();
  }

  private static double ratio(long a, long b) {
    return (double) a / b;
  }

  private static String host(Span span) {
    return span.getResourceAttributes().get("host.name");
  }

  private static String version(Span span) {
    return span.getResourceAttributes().get("service.version");
  }
}
