package dev.tracepipe.platform.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's worker pool: a fixed number of threads and a bounded queue. An exchange that finds both full still runs,
 * on a small side pool, marked as shed, so that the router answers it 503 at once instead of letting the JDK server
 * drop the connection (it does not handle a rejected execution).
 */
final class BoundedExecutor implements Executor {
  private static final ThreadLocal<Boolean> SHED = ThreadLocal.withInitial(() -> false);
  private static final int SHED_THREADS = 2;
  private static final int SHED_QUEUE = 256;

  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor shedders;
  private final AtomicInteger inFlight = new AtomicInteger();

  BoundedExecutor(String name, int threads, int queue) {
    BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
    this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, waiting,
        daemon("http-" + name));
    this.shedders = new ThreadPoolExecutor(SHED_THREADS, SHED_THREADS, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(SHED_QUEUE), daemon("http-" + name + "-shed"));
  }

  /** True on a thread running an exchange that found no room: answer 503 without doing the work. */
  static boolean shedding() {
    return SHED.get();
  }

  @Override
  public void execute(Runnable exchange) {
    inFlight.incrementAndGet();
    try {
      workers.execute(tracked(exchange, false));
    } catch (RejectedExecutionException full) {
      try {
        shedders.execute(tracked(exchange, true));
      } catch (RejectedExecutionException alsoFull) {
        // Even the side pool is full: answer on the dispatcher thread, as the JDK server's default executor would.
        tracked(exchange, true).run();
      }
    }
  }

  private Runnable tracked(Runnable exchange, boolean shed) {
    return () -> {
      SHED.set(shed);
      try {
        exchange.run();
      } finally {
        SHED.set(false);
        inFlight.decrementAndGet();
      }
    };
  }

  /** Exchanges running or waiting. */
  int inFlight() {
    return inFlight.get();
  }

  /** Waits for queued and running exchanges to finish, at most the timeout; true when they did. */
  boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    Object monitor = new Object();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      synchronized (monitor) {
        monitor.wait(10);
      }
    }
    return inFlight.get() == 0;
  }

  void shutdown() throws InterruptedException {
    workers.shutdown();
    shedders.shutdown();
    if (!workers.awaitTermination(1, TimeUnit.SECONDS)) workers.shutdownNow();
    if (!shedders.awaitTermination(1, TimeUnit.SECONDS)) shedders.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
