package io.openclaw.operator.runtime;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openclaw.operator.controller.Recorder;
import io.openclaw.operator.api.Api;
import io.openclaw.operator.api.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode: every action on the host becomes an Event (events.k8s.io/v1) on the resource it was taken for,
 * where {@code kubectl describe} shows it. Events are sent from one background thread, so a slow API server never
 * holds up a reconcile; past a backlog of {@value #BACKLOG} they are dropped (the log keeps every action).
 */
public final class KubernetesEvents implements Recorder.EventSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);
  public static final String CONTROLLER = "hardening.openclaw.io/openclaw-docker-operator";
  private static final int BACKLOG = 1000;
  /** The API server's limits: note 1 kB, reason/action/instance 128 characters. */
  private static final int NOTE_BYTES = 1024;
  private static final int FIELD_LENGTH = 128;
  private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final Function<ResourceKey, Optional<String>> uids;
  private final String instance;
  private final AtomicLong lastStamp = new AtomicLong();
  private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG), r -> {
    Thread t = new Thread(r, "kubernetes-events");
    t.setDaemon(true);
    return t;
  }, (task, pool) -> log.debug("event backlog full; dropping an event"));

  /** {@code instance}: who reports (this Docker host's name); {@code uids}: the uid of a resource as last seen. */
  public KubernetesEvents(KubernetesClient client, Function<ResourceKey, Optional<String>> uids, String instance) {
    this.client = client;
    this.uids = uids;
    this.instance = cut(instance, FIELD_LENGTH);
  }

  @Override
  public void event(ResourceKey on, String type, String reason, String message) {
    Event event = build(on, type, reason, message);
    sender.execute(() -> {
      try {
        client.events().v1().events().inNamespace(on.namespace()).resource(event).create();
      } catch (RuntimeException e) {
        log.debug("cannot record event {} on {}: {}", reason, on, e.getMessage());
      }
    });
  }

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

  /** Sends what is queued (up to a few seconds), then stops. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
