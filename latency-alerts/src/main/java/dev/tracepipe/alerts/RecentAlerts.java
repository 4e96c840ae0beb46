package dev.tracepipe.alerts;

import dev.tracepipe.avro.LatencyAlert;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The newest alerts written, at most {@code capacity}: what the page lists as recent. A condition re-sent while it
 * holds (and its resolution) replaces its earlier record, so one long-lasting fault does not push out everything else.
 */
public final class RecentAlerts {

  /** One alert and when it was written (its record's timestamp). */
  public record Entry(long writtenMillis, LatencyAlert alert) {
    public Entry {
      Objects.requireNonNull(alert, "alert == null");
    }
  }

  private final int capacity;
  private final Deque<Entry> newestFirst = new ArrayDeque<>();
  private long forgotten;

  public RecentAlerts(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    this.capacity = capacity;
  }

  /** Adds an alert; returns how many older ones were forgotten to stay within the capacity (0 or 1). */
  public synchronized int add(long writtenMillis, LatencyAlert alert) {
    String id = alert.getAlertId();
    if (!id.isEmpty()) {
      newestFirst.removeIf(e -> e.alert().getAlertId().equals(id));
    }
    newestFirst.addFirst(new Entry(writtenMillis, alert));
    if (newestFirst.size() > capacity) {
      newestFirst.removeLast();
      forgotten++;
      return 1;
    }
    return 0;
  }

  /** The newest {@code limit} alerts, newest first. */
  public synchronized List<Entry> newest(int limit) {
    List<Entry> out = new ArrayList<>(Math.min(limit, newestFirst.size()));
    Iterator<Entry> it = newestFirst.iterator();
    while (it.hasNext() && out.size() < limit) out.add(it.next());
    return out;
  }

  synchronized long forgotten() {
    return forgotten;
  }
}
