package io.openclaw.operator.controller;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A work queue with client-go's semantics: a key waits in the queue at most once however often it is added; a key
 * being processed is not handed out again until {@link #done}, and if it was added meanwhile it is queued again
 * then. Failed keys come back after an exponential, jittered backoff (resilience4j's interval function).
 */
public final class WorkQueue<K> {
  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition available = lock.newCondition();
  private final ArrayDeque<K> queue = new ArrayDeque<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Map<K, Integer> failures = new HashMap<>();
  /** Keys waiting out a backoff: plain adds (events, often caused by the failed attempt itself) wait with them. */
  private final Map<K, Long> retryAt = new HashMap<>();
  private final IntervalFunction backoff;
  private final ScheduledExecutorService timer;
  private boolean shuttingDown;

  public WorkQueue(String name, Duration initialBackoff, Duration maxBackoff) {
    this.name = name;
    this.backoff = IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, maxBackoff);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-delays");
      t.setDaemon(true);
      return t;
    });
  }

  public String name() { return name; }

  public void add(K key) {
    lock.lock();
    try {
      Long at = retryAt.get(key);
      if (at != null && at > System.nanoTime()) return;
      if (shuttingDown || !dirty.add(key)) return;
      if (!processing.contains(key)) {
        queue.addLast(key);
        available.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  public void addAfter(K key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    try {
      timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  /** Re-adds a key that failed, after a backoff that grows with its consecutive failures. */
  public Duration addRateLimited(K key) {
    Duration delay;
    lock.lock();
    try {
      int attempt = failures.merge(key, 1, Integer::sum);
      delay = Duration.ofMillis(backoff.apply(attempt));
      retryAt.put(key, System.nanoTime() + delay.toNanos());
    } finally {
      lock.unlock();
    }
    try {
      timer.schedule(() -> {
        lock.lock();
        try {
          retryAt.remove(key);
        } finally {
          lock.unlock();
        }
        add(key);
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
    return delay;
  }

  /** The key succeeded, or its input changed: its next failure starts the backoff over. */
  public void forget(K key) {
    lock.lock();
    try {
      failures.remove(key);
      retryAt.remove(key);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Every key's backoff is over: after the host was unreachable, the failures it caused say nothing about what comes
   * next, and keys added from now on are taken at once instead of waiting out minutes of backoff built up by the gap.
   */
  public void forgetAllFailures() {
    lock.lock();
    try {
      failures.clear();
      retryAt.clear();
    } finally {
      lock.unlock();
    }
  }

  public int failures(K key) {
    lock.lock();
    try {
      return failures.getOrDefault(key, 0);
    } finally {
      lock.unlock();
    }
  }

  /** Blocks until a key is available; empty once the queue shuts down. */
  public Optional<K> take() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && !shuttingDown) available.await();
      if (queue.isEmpty()) return Optional.empty();
      K key = queue.pollFirst();
      processing.add(key);
      dirty.remove(key);
      return Optional.of(key);
    } finally {
      lock.unlock();
    }
  }

  public void done(K key) {
    lock.lock();
    try {
      processing.remove(key);
      Long at = retryAt.get(key);
      if (at != null && at > System.nanoTime()) {
        // Added during a pass that then failed: it waits out the backoff like any plain add, and comes back with it.
        dirty.remove(key);
      } else if (dirty.contains(key) && !shuttingDown) {
        queue.addLast(key);
        available.signal();
      }
      if (processing.isEmpty()) available.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Moves the waiting keys {@code first} accepts to the front of the queue, in their order. */
  public void takeFirst(java.util.function.Predicate<K> first) {
    lock.lock();
    try {
      List<K> front = queue.stream().filter(first).toList();
      queue.removeAll(front);
      for (int i = front.size() - 1; i >= 0; i--) queue.addFirst(front.get(i));
    } finally {
      lock.unlock();
    }
  }

  public int depth() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  public boolean isProcessing(K key) {
    lock.lock();
    try {
      return processing.contains(key);
    } finally {
      lock.unlock();
    }
  }

  /** {@link #shutDown(Duration)} was called: no key will be handed out any more. */
  public boolean shutDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  /** Stops handing out keys; waits up to {@code drain} for the keys being processed to finish. */
  public void shutDown(Duration drain) throws InterruptedException {
    long deadline = System.nanoTime() + drain.toNanos();
    lock.lock();
    try {
      shuttingDown = true;
      queue.clear();
      available.signalAll();
      while (!processing.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) break;
        available.awaitNanos(left);
      }
    } finally {
      lock.unlock();
      timer.shutdownNow();
    }
  }
}
