package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void parsesTheCommandLineForm() {
    assertThat(Fault.parse("slow-host:payment")).isEqualTo(new Fault(FaultType.SLOW_HOST, "payment"));
    assertThat(Fault.parse("FAILING_DEPENDENCY:shop-db")).isEqualTo(new Fault(FaultType.FAILING_DEPENDENCY, "shop-db"));
    assertThat(Fault.parse("missing-call:auth")).hasToString("missing-call:auth");
  }

  @Test
  void rejectsFaultsWithoutTypeOrService() {
    assertThatThrownBy(() -> Fault.parse("slow-host")).hasMessageContaining("TYPE:SERVICE");
    assertThatThrownBy(() -> Fault.parse("slow-host:")).hasMessageContaining("names no service");
    assertThatThrownBy(() -> Fault.parse("slow-disk:payment")).hasMessageContaining("slow-host, slow-release");
  }

  @Test
  void theShopAcceptsFaultsOnlyOnWhatItHas() {
    SimulatedSystem shop = new SimulatedSystem(0);
    shop.checkTarget(Fault.parse("slow-host:payment"));
    shop.checkTarget(Fault.parse("failing-dependency:shop-db"));
    shop.checkTarget(Fault.parse("missing-call:redis"));
    assertThatThrownBy(() -> shop.checkTarget(Fault.parse("slow-host:paymnet")))
        .hasMessageContaining("aims at no service").hasMessageContaining("payment");
    assertThatThrownBy(() -> shop.checkTarget(Fault.parse("slow-release:shop-db")))
        .hasMessageContaining("aims at no service of");
  }

  @Test
  void faultsSwitchedFromManyThreadsAreAllSeen() throws InterruptedException {
    Faults faults = new Faults();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (FaultType type : FaultType.values()) {
      for (int i = 0; i < 25; i++) {
        Fault fault = new Fault(type, "service-" + i);
        threads.add(new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          faults.activate(fault);
        }));
      }
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(faults.active()).hasSize(100);
    assertThat(faults.snapshot()).hasSize(4).allSatisfy((type, services) -> assertThat(services).hasSize(25));
    faults.deactivate(new Fault(FaultType.SLOW_HOST, "service-3"));
    assertThat(faults.isActive(new Fault(FaultType.SLOW_HOST, "service-3"))).isFalse();
    assertThat(faults.isActive(new Fault(FaultType.SLOW_HOST, "service-4"))).isTrue();
    faults.clear();
    assertThat(faults.active()).isEmpty();
    assertThat(faults).hasToString("none");
  }

  @Test
  void aSnapshotDoesNotChangeWhenFaultsDo() {
    Faults faults = new Faults();
    faults.activate(Fault.parse("slow-host:payment"));
    var snapshot = faults.snapshot();
    faults.activate(Fault.parse("slow-host:auth"));
    assertThat(snapshot.get(FaultType.SLOW_HOST)).containsExactly("payment");
    assertThat(faults.targets(FaultType.SLOW_HOST)).containsExactlyInAnyOrder("payment", "auth");
  }
}
