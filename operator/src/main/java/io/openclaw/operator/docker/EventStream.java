package io.openclaw.operator.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import io.github.resilience4j.core.IntervalFunction;
import io.openclaw.operator.api.Yaml;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the daemon's events on a client of its own. It reconnects with exponential backoff and resumes with
 * {@code since}, but the daemon replays at most 256 past events, so every (re)connection also tells the listener
 * to re-list. A stream can go silent without closing: a watchdog reopens one that has said nothing for a while.
 */
public final class EventStream implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final String FILTERS = DockerApi.enc("{\"type\":[\"container\",\"network\"]}");

  private final DockerHttpClient client;
  private final Consumer<DockerEvent> sink;
  private final Consumer<Boolean> onConnected;
  private final Duration watchdog;
  private final IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(10));
  private final AtomicLong lastTimeNano = new AtomicLong();
  private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicReference<DockerHttpClient.Response> current = new AtomicReference<>();
  private final ScheduledExecutorService watchdogTimer = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "events-watchdog"));
  private volatile boolean running = true;
  private volatile boolean connected;
  private Thread reader;

  /**
   * @param sink receives every event, on the reader thread: it must not block
   * @param onConnected called each time the stream is open; {@code true} after a gap (a reconnection)
   */
  public EventStream(DockerHttpClient client, Consumer<DockerEvent> sink, Consumer<Boolean> onConnected, Duration watchdog) {
    this(client, "the Docker daemon", sink, onConnected, watchdog);
  }

  private final String where;
  private long lastWarned;

  /** @param where the daemon's address, for messages */
  public EventStream(DockerHttpClient client, String where, Consumer<DockerEvent> sink, Consumer<Boolean> onConnected, Duration watchdog) {
    this.where = where;
    this.client = client;
    this.sink = sink;
    this.onConnected = onConnected;
    this.watchdog = watchdog;
  }

  private volatile DockerApi.Announcer announcer = DockerApi.Announcer.NONE;

  /** The stream's requests are announced here first (the authorization plugin lets the operator's own through). */
  public EventStream announcing(DockerApi.Announcer announcer) {
    this.announcer = announcer;
    return this;
  }

  public void start() {
    lastTimeNano.set((System.currentTimeMillis() - 1000) * 1_000_000L);
    reader = daemonThread(this::run, "docker-events");
    reader.start();
    long period = Math.max(200, watchdog.toMillis() / 4);
    watchdogTimer.scheduleWithFixedDelay(this::checkSilence, period, period, TimeUnit.MILLISECONDS);
  }

  public long reconnects() { return reconnects.get(); }

  public boolean connected() { return connected; }

  private void run() {
    int attempt = 0;
    boolean gap = false;
    while (running) {
      long since = lastTimeNano.get();
      String path = "/events?filters=" + FILTERS + "&since=" + (since / 1_000_000_000L) + "." + String.format("%09d", since % 1_000_000_000L);
      announcer.announce("GET", path, null);
      try (DockerHttpClient.Response response = client.execute(DockerHttpClient.Request.builder().method("GET").path(path).build())) {
        if (response.getStatusCode() != 200) throw new IllegalStateException("events: HTTP " + response.getStatusCode());
        current.set(response);
        connected = true;
        lastActivity.set(System.nanoTime());
        if (gap) log.info("events stream reconnected (since {}), re-listing", since);
        onConnected.accept(gap);
        attempt = 0;
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.getBody(), StandardCharsets.UTF_8));
        String line;
        while (running && (line = lines.readLine()) != null) {
          lastActivity.set(System.nanoTime());
          if (line.isBlank()) continue;
          DockerEvent event = DockerEvent.fromJson(Yaml.JSON.readTree(line));
          if (event.timeNano() < since) continue; // replayed before our resume point
          lastTimeNano.accumulateAndGet(event.timeNano(), Math::max);
          sink.accept(event);
        }
        if (running) log.warn("events stream closed by the daemon");
      } catch (Exception e) {
        // Say it at once, then every half minute while it lasts: a daemon that is down is news, its retries are not.
        if (running && (attempt == 0 || System.nanoTime() - lastWarned > 30_000_000_000L)) {
          lastWarned = System.nanoTime();
          log.warn("cannot follow the events of {}: {}; is dockerd running (DOCKER_HOST selects it)? Retrying with backoff;"
              + " nothing on the host is changed meanwhile", where, DockerApi.rootMessage(e));
        } else if (running) {
          log.debug("events stream still failing: {}", DockerApi.rootMessage(e));
        }
      } finally {
        connected = false;
        current.set(null);
      }
      if (!running) break;
      gap = true;
      reconnects.incrementAndGet();
      sleep(backoff.apply(++attempt));
    }
  }

  private void checkSilence() {
    DockerHttpClient.Response response = current.get();
    long silentFor = System.nanoTime() - lastActivity.get();
    if (response != null && silentFor > watchdog.toNanos()) {
      log.info("events stream silent for {} s, reopening it", TimeUnit.NANOSECONDS.toSeconds(silentFor));
      lastActivity.set(System.nanoTime());
      response.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    running = false;
    watchdogTimer.shutdownNow();
    DockerHttpClient.Response response = current.get();
    if (response != null) response.close();
    if (reader != null) reader.interrupt();
    try {
      client.close();
    } catch (java.io.IOException ignored) {
      // closing
    }
  }
}
