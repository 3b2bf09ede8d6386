package io.openclaw.operator.controller;

import io.openclaw.operator.docker.DockerException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one worker loop: take a key, handle it, forget its failures on success or requeue it with backoff on failure,
 * and hold it back while {@code ready} says the world is not yet seen (a host not yet listed would look empty).
 * Used by every queue the operator has.
 */
final class WorkLoop {
  private static final Logger log = LoggerFactory.getLogger(WorkLoop.class);

  /** What a worker does with one key; any exception requeues the key with backoff. */
  @FunctionalInterface
  interface Handler<K> {
    void handle(K key) throws Exception;
  }

  private WorkLoop() {}

  /** How often a worker looks whether the world is seen yet, before it takes its first key. */
  private static final long NOT_READY_POLL_MILLIS = 50;

  /** Runs until the queue shuts down or the thread is interrupted. */
  static <K> void run(WorkQueue<K> queue, Handler<K> handler, BooleanSupplier ready) {
    while (true) {
      K key;
      try {
        // Keys wait in the queue until the world is seen, rather than going round it: during the first listing of a
        // large host every container's key would be taken, put back for a second, and taken again, on the CPU the
        // listing needs.
        while (!ready.getAsBoolean() && !queue.shutDown()) Thread.sleep(NOT_READY_POLL_MILLIS);
        Optional<K> next = queue.take();
        if (next.isEmpty()) return;
        key = next.get();
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (!ready.getAsBoolean()) {
          queue.addAfter(key, Duration.ofSeconds(1));
          continue;
        }
        handler.handle(key);
        queue.forget(key);
      } catch (DockerException.Unavailable e) {
        // The daemon being down is said by the events stream, once; its retries here are not news.
        Duration delay = queue.addRateLimited(key);
        log.debug("{} {}: Docker is unreachable ({}); again in {} ms", queue.name(), key, e.getMessage(), delay.toMillis());
      } catch (Exception e) {
        Duration delay = queue.addRateLimited(key);
        log.warn("{} {} failed, again in {} ms: {}", queue.name(), key, delay.toMillis(), e.getMessage(), log.isDebugEnabled() ? e : null);
      } finally {
        queue.done(key);
      }
    }
  }
}
