package io.openclaw.operator.admission;

import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.plan.Hashing;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator's own requests, announced just before they are sent: (method, path without the /vX.Y prefix, query,
 * SHA-256 of the body or "none"). One announcement lets exactly one matching request through, within a short time;
 * nothing else about a request — labels, names, images — ever does, since any client with POST can forge those.
 */
public final class Announcements implements DockerApi.Announcer {
  static final Duration TTL = Duration.ofSeconds(30);

  private record Key(String method, String path, String query, String body) {}

  private final Map<Key, Deque<Long>> pending = new HashMap<>();

  @Override
  public synchronized void announce(String method, String path, byte[] body) {
    long now = System.nanoTime();
    pending.values().forEach(q -> q.removeIf(t -> t < now));
    pending.values().removeIf(Deque::isEmpty);
    pending.computeIfAbsent(key(method, path, body), k -> new ArrayDeque<>()).addLast(now + TTL.toNanos());
  }

  /** Whether this request was announced (and not yet used); consumes the announcement. */
  public synchronized boolean consume(String method, String uri, byte[] body) {
    Deque<Long> times = pending.get(key(method, uri, body));
    long now = System.nanoTime();
    if (times == null) return false;
    times.removeIf(t -> t < now);
    return times.pollFirst() != null;
  }

  private static Key key(String method, String uri, byte[] body) {
    String path = AuthzRequest.withoutVersion(uri);
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    return new Key(method.toUpperCase(java.util.Locale.ROOT), q < 0 ? path : path.substring(0, q), query,
        body == null || body.length == 0 ? "none" : Hashing.sha256(body));
  }
}
