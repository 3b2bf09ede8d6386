package io.openclaw.operator.cli;

import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.host.OneShot;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Docker side of a one-shot command, begun on a thread of its own: the endpoint (docker-java reading its
 * configuration), the client, then the daemon's containers, networks and info. Neither side needs the other, so the
 * command reads its manifests meanwhile. Each step's result or failure is taken where the command used to make the
 * step, so failures are reported in the same order as before. Closing it closes the client, now or once it is made.
 */
final class HostReadAhead implements AutoCloseable {
  /** The read as the daemon gave it, and the moment it began (what a one-shot command judges ages and idleness at). */
  record Read(OneShot.Host host, Instant now) {}

  private final CompletableFuture<DockerEndpoint> endpoint = new CompletableFuture<>();
  private final CompletableFuture<DockerApi> docker = new CompletableFuture<>();
  private final CompletableFuture<Read> read = new CompletableFuture<>();

  private HostReadAhead() {}

  static HostReadAhead start() {
    Logging.bind(); // before this thread and the command's both take loggers (see there)
    HostReadAhead ahead = new HostReadAhead();
    Thread thread = new Thread(ahead::run, "host-read");
    // Never holds the process up: a command that fails first (a usage error) exits without waiting for the daemon.
    thread.setDaemon(true);
    thread.start();
    return ahead;
  }

  private void run() {
    try {
      DockerEndpoint e = DockerEndpoint.fromEnvironment();
      endpoint.complete(e);
      DockerApi client = DockerApi.connect(e);
      docker.complete(client);
      Instant now = Instant.now();
      read.complete(new Read(OneShot.Host.read(client), now));
    } catch (Throwable t) {
      // Only the steps not yet done fail; the ones done keep their results.
      endpoint.completeExceptionally(t);
      docker.completeExceptionally(t);
      read.completeExceptionally(t);
    }
  }

  /** {@link DockerEndpoint#fromEnvironment()}, or its failure. */
  DockerEndpoint endpoint() { return join(endpoint); }

  /** {@link DockerApi#connect}, or its failure. */
  DockerApi docker() { return join(docker); }

  /** {@link OneShot.Host#read}, or its failure. */
  Read read() { return join(read); }

  private static <T> T join(CompletableFuture<T> step) {
    try {
      return step.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw e;
    }
  }

  @Override
  public void close() {
    docker.thenAccept(client -> {
      try {
        client.close();
      } catch (IOException e) {
        // closing a client nothing uses any more
      }
    });
  }
}
