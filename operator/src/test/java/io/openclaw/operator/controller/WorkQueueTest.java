package io.openclaw.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The work queue's contract (client-go's): dedup, one worker per key, rate-limited retries, draining shutdown. */
class WorkQueueTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private final List<WorkQueue<String>> queues = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  private WorkQueue<String> queue(Duration initialBackoff) {
    WorkQueue<String> q = new WorkQueue<>("test", initialBackoff, Duration.ofSeconds(100));
    queues.add(q);
    return q;
  }

  private WorkQueue<String> queue() { return queue(Duration.ofMillis(100)); }

  @AfterEach
  void stop() throws InterruptedException {
    for (WorkQueue<String> q : queues) q.shutDown(Duration.ZERO);
    threads.shutdownNow();
  }
  @Test
  void keysTakenFirstLeadTheQueueInTheirOrderAndTheOthersKeepTheirs() throws Exception {
    WorkQueue<String> q = queue();
    List.of("allowlist", "baseline", "gateway-a", "policy", "gateway-b").forEach(q::add);

    q.takeFirst(k -> k.startsWith("gateway"));

    List<String> order = new ArrayList<>();
    while (q.depth() > 0) order.add(q.take().orElseThrow());
    assertThat(order).containsExactly("gateway-a", "gateway-b", "allowlist", "baseline", "policy");
  }


  private static String take(WorkQueue<String> q) throws InterruptedException { return q.take().orElseThrow(); }

  /** A take() on another thread, to see whether it is handed anything. */
  private Future<Optional<String>> takeLater(WorkQueue<String> q) {
    return threads.submit(q::take);
  }

  private static boolean stillWaiting(Future<?> f) throws Exception {
    try {
      f.get(300, TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException e) {
      return true;
    }
  }

  @Test
  void keyAddedManyTimesWaitsInTheQueueOnce() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    q.add("b");
    q.add("a");
    q.add("a");

    assertThat(q.depth()).isEqualTo(2);
    assertThat(take(q)).isEqualTo("a");
    assertThat(take(q)).isEqualTo("b");
    assertThat(q.depth()).isZero();
  }

  @Test
  void keyBeingProcessedIsNotHandedOutAgainUntilDone() throws Exception {
    WorkQueue<String> q = queue();
    q.add("a");
    assertThat(take(q)).isEqualTo("a");
    assertThat(q.isProcessing("a")).isTrue();

    q.add("a");
    Future<Optional<String>> second = takeLater(q);

    assertThat(q.depth()).isZero();
    assertThat(stillWaiting(second)).as("a second worker is not handed a key being processed").isTrue();
    q.done("a");
    assertThat(second.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).contains("a");
  }

  @Test
  void keyAddedWhileBeingProcessedIsQueuedOnceWhenDone() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    take(q);
    q.add("a");
    q.add("a");
    q.add("a");

    q.done("a");

    assertThat(q.depth()).isEqualTo(1);
    assertThat(take(q)).isEqualTo("a");
    q.done("a");
    assertThat(q.depth()).isZero();
  }

  @Test
  void keyNotAddedWhileBeingProcessedIsNotQueuedAgain() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    take(q);

    q.done("a");

    assertThat(q.depth()).isZero();
    assertThat(q.isProcessing("a")).isFalse();
  }

  @Test
  void concurrentWorkersNeverProcessOneKeyAtOnceAndEveryAddIsFollowedByAPass() throws Exception {
    WorkQueue<String> q = queue();
    List<String> keys = List.of("k0", "k1", "k2", "k3", "k4");
    Set<String> inFlight = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger passes = new AtomicInteger();
    AtomicLong clock = new AtomicLong();
    Map<String, Long> lastAdd = new ConcurrentHashMap<>();
    Map<String, Long> lastStart = new ConcurrentHashMap<>();
    int workers = 8;
    CountDownLatch stopped = new CountDownLatch(workers);
    for (int w = 0; w < workers; w++) {
      threads.submit(() -> {
        try {
          Optional<String> next;
          while ((next = q.take()).isPresent()) {
            String key = next.get();
            lastStart.put(key, clock.incrementAndGet());
            if (!inFlight.add(key)) overlaps.incrementAndGet();
            Thread.sleep(0, 200_000);
            inFlight.remove(key);
            passes.incrementAndGet();
            q.done(key);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          stopped.countDown();
        }
        return null;
      });
    }
    List<Future<?>> producers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      Random random = new Random(p);
      producers.add(threads.submit(() -> {
        for (int i = 0; i < 2_000; i++) {
          String key = keys.get(random.nextInt(keys.size()));
          synchronized (lastAdd) {
            lastAdd.put(key, clock.incrementAndGet());
            q.add(key);
          }
          // Spread the adds out, so that keys are often added while being processed.
          java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
      }));
    }
    for (Future<?> p : producers) p.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

    await().atMost(PATIENCE).until(() -> q.depth() == 0 && keys.stream().noneMatch(q::isProcessing));

    assertThat(overlaps.get()).as("passes that found their key already in flight").isZero();
    assertThat(passes.get()).as("adds of a queued key are merged").isPositive().isLessThanOrEqualTo(8_000);
    for (String key : keys) {
      assertThat(lastStart.get(key)).as("the last pass of %s started after its last add", key).isGreaterThan(lastAdd.get(key));
    }
    q.shutDown(PATIENCE);
    assertThat(stopped.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    System.out.printf("WorkQueueTest: 8000 adds of 5 keys took %d passes%n", passes.get());
  }

  @Test
  void backoffGrowsWithConsecutiveFailures() {
    WorkQueue<String> q = queue(Duration.ofMillis(100));

    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 5; i++) delays.add(q.addRateLimited("a").toMillis());

    // 100 ms doubling per failure, each randomised by +-50 %.
    assertThat(delays.get(0)).isBetween(50L, 150L);
    assertThat(delays.get(1)).isBetween(100L, 300L);
    assertThat(delays.get(2)).isBetween(200L, 600L);
    assertThat(delays.get(3)).isBetween(400L, 1_200L);
    assertThat(delays.get(4)).isBetween(800L, 2_400L);
    assertThat(q.failures("a")).isEqualTo(5);
  }

  @Test
  void backoffIsJittered() {
    WorkQueue<String> q = queue(Duration.ofSeconds(10));

    Set<Long> firstDelays = new HashSet<>();
    for (int i = 0; i < 20; i++) firstDelays.add(q.addRateLimited("key" + i).toMillis());

    assertThat(firstDelays).hasSizeGreaterThan(1).allSatisfy(d -> assertThat(d).isBetween(5_000L, 15_000L));
  }

  @Test
  void backoffIsCapped() {
    WorkQueue<String> q = new WorkQueue<>("capped", Duration.ofMillis(100), Duration.ofSeconds(1));
    queues.add(q);

    for (int i = 0; i < 10; i++) q.addRateLimited("a");

    assertThat(q.addRateLimited("a")).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void forgetStartsTheBackoffOver() {
    WorkQueue<String> q = queue(Duration.ofMillis(100));
    for (int i = 0; i < 6; i++) q.addRateLimited("a");

    q.forget("a");

    assertThat(q.failures("a")).isZero();
    assertThat(q.addRateLimited("a").toMillis()).isBetween(50L, 150L);
  }

  @Test
  void rateLimitedKeyComesBackAfterItsDelay() throws Exception {
    WorkQueue<String> q = queue(Duration.ofMillis(200));
    long start = System.nanoTime();

    Duration delay = q.addRateLimited("a");

    assertThat(q.depth()).isZero();
    assertThat(q.take()).contains("a");
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertThat(waited).isGreaterThanOrEqualTo(delay.toMillis());
    System.out.printf("WorkQueueTest: backoff %d ms, key back after %d ms%n", delay.toMillis(), waited);
  }

  @Test
  void plainAddsDuringABackoffWaitForItAndComeBackOnce() throws InterruptedException {
    WorkQueue<String> q = queue(Duration.ofMillis(600));
    q.addRateLimited("a");

    q.add("a");
    q.add("a");
    q.add("b");

    assertThat(take(q)).as("other keys are not held back").isEqualTo("b");
    assertThat(q.depth()).isZero();
    await().atMost(PATIENCE).until(() -> q.depth() == 1);
    assertThat(take(q)).isEqualTo("a");
    assertThat(q.depth()).isZero();
  }

  @Test
  void keyAddedWhileItsFailingPassRunsWaitsOutTheBackoff() throws InterruptedException {
    WorkQueue<String> q = queue(Duration.ofSeconds(2));
    q.add("a");
    take(q);
    q.add("a"); // an event, often caused by the failing attempt itself

    q.addRateLimited("a");
    q.done("a");

    assertThat(q.depth()).as("not retried before the backoff").isZero();
    await().atMost(PATIENCE).until(() -> q.depth() == 1);
    assertThat(take(q)).isEqualTo("a");
    q.done("a");
    assertThat(q.depth()).isZero();
  }

  @Test
  void forgetLetsPlainAddsThroughAgain() {
    WorkQueue<String> q = queue(Duration.ofSeconds(30));
    q.addRateLimited("a");
    q.add("a");
    assertThat(q.depth()).isZero();

    q.forget("a");
    q.add("a");

    assertThat(q.depth()).isEqualTo(1);
  }

  @Test
  void addAfterQueuesTheKeyOnlyOnceTheDelayIsOver() throws InterruptedException {
    WorkQueue<String> q = queue();
    long start = System.nanoTime();

    q.addAfter("a", Duration.ofMillis(300));

    assertThat(q.depth()).isZero();
    assertThat(take(q)).isEqualTo("a");
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
  }

  @Test
  void shutDownWaitsForInFlightWorkAndHandsOutNothingMore() throws Exception {
    WorkQueue<String> q = queue();
    q.add("a");
    q.add("b");
    take(q);
    q.add("a");

    Future<?> shutDown = threads.submit(() -> {
      q.shutDown(PATIENCE);
      return null;
    });

    assertThat(stillWaiting(shutDown)).as("shutDown waits for the key in flight").isTrue();
    assertThat(q.depth()).as("queued keys are dropped").isZero();
    q.add("c");
    assertThat(q.depth()).as("nothing is added once shutting down").isZero();
    long start = System.nanoTime();
    q.done("a");
    shutDown.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    System.out.printf("WorkQueueTest: shutDown returned %d ms after the last done%n", (System.nanoTime() - start) / 1_000_000);
    assertThat(q.take()).as("a key added during its last pass is not handed out after shutdown").isEmpty();
  }

  @Test
  void shutDownGivesUpOnWorkThatNeverFinishesAfterTheDrainTime() throws Exception {
    WorkQueue<String> q = queue();
    q.add("a");
    take(q);
    long start = System.nanoTime();

    q.shutDown(Duration.ofMillis(300));

    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    assertThat(q.isProcessing("a")).isTrue();
  }

  @Test
  void workerWaitingForAKeyIsReleasedEmptyByShutDown() throws Exception {
    WorkQueue<String> q = queue();
    Future<Optional<String>> waiting = takeLater(q);
    assertThat(stillWaiting(waiting)).isTrue();

    q.shutDown(PATIENCE);

    assertThat(waiting.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
  }

  @Test
  void afterForgetAllFailuresAKeyInBackoffIsTakenAtOnceWhenAdded() throws Exception {
    WorkQueue<String> q = queue(Duration.ofSeconds(30));
    q.add("gateway");
    take(q);
    q.addRateLimited("gateway");
    q.done("gateway");
    q.add("gateway");
    Future<Optional<String>> waiting = takeLater(q);
    assertThat(stillWaiting(waiting)).as("a plain add waits out the backoff").isTrue();
    q.forgetAllFailures();
    q.add("gateway");
    assertThat(waiting.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).contains("gateway");
    assertThat(q.failures("gateway")).isZero();
  }
}
