package io.openclaw.operator.runtime;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.openclaw.operator.controller.Recorder;
import io.openclaw.operator.api.Api;
import io.openclaw.operator.api.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode: every action on the host, and every change of a resource's outcome, becomes an Event
 * (events.k8s.io/v1) on the resource, where {@code kubectl describe} shows it. Repeats are aggregated as client-go's
 * event recorder does: the same type and reason on the same object within {@value #FINISH_MINUTES} minutes of the
 * last one is counted in the first Event's {@code series}, which is written at most every few seconds; so a kill
 * loop costs one Event and a patch now and then, not one write per kill. Events are sent from one background thread,
 * so a slow API server never holds up a reconcile; past a backlog of {@value #BACKLOG} they are dropped (the log
 * keeps every action).
 */
public final class KubernetesEvents implements Recorder.EventSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);
  public static final String CONTROLLER = "hardening.openclaw.io/openclaw-docker-operator";
  private static final int BACKLOG = 1000;
  /** A series ends this long after its last repeat (client-go's finishTime); the next occurrence starts a new Event. */
  private static final int FINISH_MINUTES = 6;
  /** The API server's limits: note 1 kB, reason/action/instance 128 characters. */
  private static final int NOTE_BYTES = 1024;
  private static final int FIELD_LENGTH = 128;
  private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  /** What makes two Events one series: the object, the type and the reason (the note of the first one stays). */
  private record SeriesKey(ResourceKey on, String type, String reason) {}

  /** One Event and its repeats. */
  private static final class Series {
    final String name;
    final String namespace;
    int count = 1;
    Instant last;
    boolean dirty;

    Series(String name, String namespace, Instant at) {
      this.name = name;
      this.namespace = namespace;
      this.last = at;
    }
  }

  private final KubernetesClient client;
  private final Function<ResourceKey, Optional<String>> uids;
  private final String instance;
  private final AtomicLong lastStamp = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final Map<SeriesKey, Series> series = new HashMap<>();
  private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG), r -> {
    Thread t = new Thread(r, "kubernetes-events");
    t.setDaemon(true);
    return t;
  }, (task, pool) -> log.debug("event backlog full; dropping an event"));
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kubernetes-events-series");
    t.setDaemon(true);
    return t;
  });

  /** {@code instance}: who reports (this Docker host's name); {@code uids}: the uid of a resource as last seen. */
  public KubernetesEvents(KubernetesClient client, Function<ResourceKey, Optional<String>> uids, String instance) {
    this(client, uids, instance, Duration.ofSeconds(10));
  }

  /** {@code flushEvery}: how often the counts of repeated Events are written. */
  public KubernetesEvents(KubernetesClient client, Function<ResourceKey, Optional<String>> uids, String instance, Duration flushEvery) {
    this.client = client;
    this.uids = uids;
    this.instance = cut(instance, FIELD_LENGTH);
    flusher.scheduleWithFixedDelay(this::flush, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void event(ResourceKey on, String type, String reason, String message) {
    Instant now = Instant.now();
    SeriesKey key = new SeriesKey(on, type, cut(reason, FIELD_LENGTH));
    Event event;
    synchronized (series) {
      Series s = series.get(key);
      if (s != null && now.isBefore(s.last.plus(Duration.ofMinutes(FINISH_MINUTES)))) {
        s.count++;
        s.last = now;
        s.dirty = true;
        return;
      }
      event = build(on, type, reason, message);
      series.put(key, new Series(event.getMetadata().getName(), on.namespace(), now));
    }
    sender.execute(() -> {
      try {
        writes.incrementAndGet();
        client.events().v1().events().inNamespace(on.namespace()).resource(event).create();
      } catch (RuntimeException e) {
        log.debug("cannot record event {} on {}: {}", reason, on, e.getMessage());
      }
    });
  }

  /** Writes the count of every series that grew since the last flush; forgets the series that ended. */
  void flush() {
    List<Runnable> patches = new ArrayList<>();
    Instant now = Instant.now();
    synchronized (series) {
      for (var it = series.values().iterator(); it.hasNext(); ) {
        Series s = it.next();
        if (s.dirty) {
          String body = "{\"series\":{\"count\":" + s.count + ",\"lastObservedTime\":\"" + MICRO_TIME.format(s.last) + "\"}}";
          String name = s.name;
          String namespace = s.namespace;
          patches.add(() -> {
            try {
              writes.incrementAndGet();
              client.events().v1().events().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), body);
            } catch (RuntimeException e) {
              log.debug("cannot update the count of event {}: {}", name, e.getMessage());
            }
          });
          s.dirty = false;
        }
        if (!now.isBefore(s.last.plus(Duration.ofMinutes(FINISH_MINUTES)))) it.remove();
      }
    }
    patches.forEach(sender::execute);
  }

  /** Requests sent to the API server for Events so far (creates and series updates). */
  public long writes() { return writes.get(); }

  Event build(ResourceKey on, String type, String reason, String message) {
    Instant now = Instant.now();
    // Unique names the way client-go makes them: the object's name and a timestamp that only moves forward.
    long stamp = lastStamp.updateAndGet(last -> Math.max(last + 1, now.getEpochSecond() * 1_000_000_000L + now.getNano()));
    Event event = new Event();
    event.setMetadata(new ObjectMetaBuilder().withName(on.name() + "." + Long.toHexString(stamp)).withNamespace(on.namespace()).build());
    event.setEventTime(new MicroTime(MICRO_TIME.format(now)));
    event.setReportingController(CONTROLLER);
    event.setReportingInstance(instance);
    event.setType(type);
    event.setReason(cut(reason, FIELD_LENGTH));
    event.setAction(cut(reason, FIELD_LENGTH));
    event.setNote(cutBytes(message, NOTE_BYTES));
    event.setRegarding(new ObjectReferenceBuilder().withApiVersion(Api.API_VERSION).withKind(on.kind()).withNamespace(on.namespace())
        .withName(on.name()).withUid(uids.apply(on).orElse(null)).build());
    return event;
  }

  private static String cut(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length);
  }

  private static String cutBytes(String text, int bytes) {
    if (text.getBytes(StandardCharsets.UTF_8).length <= bytes) return text;
    String out = text;
    while (out.getBytes(StandardCharsets.UTF_8).length > bytes - 3) out = out.substring(0, out.length() - 1);
    return out + "...";
  }

  /** Sends what is queued, the last counts included (up to a few seconds), then stops. */
  @Override
  public void close() {
    flusher.shutdownNow();
    flush();
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
