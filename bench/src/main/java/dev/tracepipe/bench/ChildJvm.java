package dev.tracepipe.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.tools.attach.VirtualMachine;
import dev.tracepipe.platform.StageRunner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.management.jfr.FlightRecorderMXBean;

/**
 * A {@code tracepipe} command in a JVM of its own, watched from outside: resident memory from {@code /proc}, heap,
 * CPU time and flight recordings through its platform MXBeans (attached locally, no port needed).
 */
public final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  /** Linux reports thread times in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
  private static final long NANOS_PER_TICK = 10_000_000L;
  /** Stops the process if this JVM is stopped (Ctrl-C) before {@link #close()} ran. */
  private final Thread stopOnExit;
  private JMXConnector connector;
  private MBeanServerConnection mbeans;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.stopOnExit = new Thread(process::destroy, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Starts {@code java <jvmOptions> -cp <this classpath> <mainClass> <args>} with extra environment variables. */
  public static ChildJvm start(String name, String mainClass, List<String> jvmOptions, List<String> args,
      Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + StageRunner.TRUSTED_AVRO_PACKAGES);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new ChildJvm(name, builder.start(), log);
  }

  /** Waits until the condition holds, failing early with the log's tail when the process dies. */
  public void awaitReady(BooleanSupplier ready, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n"
            + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after " + timeout + "; log " + log + ":\n" + tail());
      }
      Thread.sleep(200);
    }
  }

  /** Whether the log contains the text. */
  public boolean logContains(String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** How often the text occurs in the log so far. */
  int logCount(String text) {
    try {
      String all = Files.readString(log);
      int count = 0;
      for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + text.length())) {
        count++;
      }
      return count;
    } catch (IOException e) {
      return -1;
    }
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size from {@code /proc/<pid>/status}, or -1 where there is no such file. */
  long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  MemoryUsage heap() throws IOException {
    return memory().getHeapMemoryUsage();
  }

  /** Heap in use right after a full collection: what the live objects take. */
  long heapAfterGc() throws IOException {
    memory().gc();
    return memory().getHeapMemoryUsage().getUsed();
  }

  /** CPU time used by the process so far, all threads. */
  long cpuNanos() throws IOException {
    return JMX.newMXBeanProxy(jmx(), objectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME),
        OperatingSystemMXBean.class).getProcessCpuTime();
  }

  /** CPU time used so far by each live thread, summed by thread name. */
  Map<String, Long> threadCpuNanos() throws IOException {
    com.sun.management.ThreadMXBean threads = JMX.newMXBeanProxy(jmx(),
        objectName(ManagementFactory.THREAD_MXBEAN_NAME), com.sun.management.ThreadMXBean.class);
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    long[] cpu = threads.getThreadCpuTime(ids);
    Map<String, Long> byName = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && cpu[i] > 0) {
        byName.merge(infos[i].getThreadName(), cpu[i], Long::sum);
      }
    }
    return byName;
  }

  /**
   * CPU time used so far by each thread the kernel knows of, including those Java does not list (JIT compilers, GC,
   * RocksDB's background threads), summed by the kernel's thread name (at most 15 characters); empty without /proc.
   */
  Map<String, Long> nativeThreadCpuNanos() {
    Map<String, Long> byName = new HashMap<>();
    Path tasks = Path.of("/proc", String.valueOf(pid()), "task");
    try (var threads = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) threads::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          byName.merge(name, ticks * NANOS_PER_TICK, Long::sum);
        } catch (IOException | RuntimeException gone) {
          // The thread ended between listing and reading; its time is lost to this sample only.
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return byName;
  }

  /**
   * Starts a flight recording of CPU samples only (Java every 10 ms, native every 20 ms) and returns its id. Start it
   * early: starting flight recording makes HotSpot throw away compiled code, and the stage process then spent about
   * 30 s of CPU recompiling.
   */
  long startRecording() throws IOException {
    FlightRecorderMXBean jfr = flightRecorder();
    long id = jfr.newRecording();
    jfr.setRecordingSettings(id, Map.of(
        "jdk.ExecutionSample#enabled", "true", "jdk.ExecutionSample#period", "10 ms",
        "jdk.NativeMethodSample#enabled", "true", "jdk.NativeMethodSample#period", "20 ms"));
    jfr.startRecording(id);
    return id;
  }

  /** Writes what the running recording holds so far to a file. */
  void dumpRecording(long id, Path file) throws IOException {
    flightRecorder().copyTo(id, file.toString());
  }

  private FlightRecorderMXBean flightRecorder() throws IOException {
    return JMX.newMXBeanProxy(jmx(), objectName("jdk.management.jfr:type=FlightRecorder"), FlightRecorderMXBean.class);
  }

  private MemoryMXBean memory() throws IOException {
    return JMX.newMXBeanProxy(jmx(), objectName(ManagementFactory.MEMORY_MXBEAN_NAME), MemoryMXBean.class);
  }

  private synchronized MBeanServerConnection jmx() throws IOException {
    if (mbeans == null) {
      try {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid()));
        String address;
        try {
          address = vm.startLocalManagementAgent();
        } finally {
          vm.detach();
        }
        connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        mbeans = connector.getMBeanServerConnection();
      } catch (com.sun.tools.attach.AttachNotSupportedException e) {
        throw new IOException("cannot attach to " + name + " (pid " + pid() + ")", e);
      }
    }
    return mbeans;
  }

  private static ObjectName objectName(String name) throws IOException {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IOException(e);
    }
  }

  /** SIGKILL: the process gets no chance to flush, commit or close anything. */
  public void kill() throws InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is stopping the process already.
    }
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then a forced stop if it has not exited within 30 s. */
  @Override
  public void close() throws InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is stopping the process already.
    }
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException e) {
        // The process may already be gone; nothing is left to release.
      }
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
