package dev.tracepipe.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a flight recording's CPU samples fall: counts of {@code jdk.ExecutionSample} by top frame, by the top frame's
 * package, by the innermost tracepipe frame and by stage (from thread names), plus {@code jdk.NativeMethodSample}
 * (threads in native code, such as RocksDB) by top frame.
 */
final class JfrHotSpots {
  private static final List<String> STAGES = PipelinePhase.CPU_GROUPS;

  /** A name and how many samples fell to it. */
  record Entry(String name, long samples) {}

  record Summary(long samples, List<Entry> byStage, List<Entry> topFrames, List<Entry> topPackages,
      List<Entry> tracepipeFrames, long nativeSamples, List<Entry> nativeFrames) {}

  private JfrHotSpots() {}

  /** The samples taken between the two instants (epoch nanoseconds). */
  static Summary read(Path recording, long fromEpochNanos, long toEpochNanos, int limit) throws IOException {
    Map<String, Long> byStage = new HashMap<>();
    Map<String, Long> frames = new HashMap<>();
    Map<String, Long> packages = new HashMap<>();
    Map<String, Long> ours = new HashMap<>();
    Map<String, Long> nativeFrames = new HashMap<>();
    long samples = 0;
    long nativeSamples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        long at = event.getStartTime().getEpochSecond() * 1_000_000_000L + event.getStartTime().getNano();
        if (at < fromEpochNanos || at >= toEpochNanos) {
          continue;
        }
        String type = event.getEventType().getName();
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        if (type.equals("jdk.NativeMethodSample")) {
          nativeSamples++;
          nativeFrames.merge(method(stack.getFrames().get(0)), 1L, Long::sum);
        } else if (type.equals("jdk.ExecutionSample")) {
          samples++;
          RecordedFrame top = stack.getFrames().get(0);
          frames.merge(method(top), 1L, Long::sum);
          String typeName = top.getMethod().getType().getName();
          packages.merge(typeName.contains(".") ? typeName.substring(0, typeName.lastIndexOf('.')) : typeName, 1L,
              Long::sum);
          ours.merge(stack.getFrames().stream().filter(f -> f.isJavaFrame()
              && f.getMethod().getType().getName().startsWith("dev.tracepipe")).findFirst()
              .map(JfrHotSpots::method).orElse("(no tracepipe frame)"), 1L, Long::sum);
          byStage.merge(stage(event.getThread("sampledThread")), 1L, Long::sum);
        }
      }
    }
    return new Summary(samples, top(byStage, limit), top(frames, limit), top(packages, limit), top(ours, limit),
        nativeSamples, top(nativeFrames, limit));
  }

  private static String stage(RecordedThread thread) {
    return stageOf(thread == null || thread.getJavaName() == null ? "" : thread.getJavaName());
  }

  /** The stage a thread works for, from the application id in its name (stream and producer threads). */
  static String stageOf(String name) {
    for (String stage : STAGES) {
      if (name.contains("-" + stage + "-")) {
        return stage;
      }
    }
    return PipelinePhase.OTHER_THREADS;
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static List<Entry> top(Map<String, Long> counts, int limit) {
    return counts.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingLong(Entry::samples).reversed()).limit(limit).toList();
  }
}
