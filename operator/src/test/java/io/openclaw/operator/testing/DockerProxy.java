package io.openclaw.operator.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A unix-socket proxy between an operator and a Docker engine, for faults at a precise point: it forwards bytes as they
 * come, and on command holds back one request (the daemon never sees it) or one request's answer (the daemon did the
 * work, the client never hears of it), or silences the events streams open now while they stay open and every other
 * request keeps working. It reads only request lines: a client sends one request per connection at a time (no
 * pipelining), so a request starts a read.
 */
public final class DockerProxy implements AutoCloseable {
  public final Path socket;
  private final Path target;
  private final ServerSocketChannel server;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Hold> armed = new AtomicReference<>();
  private final AtomicLong eventBytes = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean open = true;

  /** What is held back: a request, or the answer to one, matched by its request line ("POST /v1.41/containers/create?..."). */
  private record Hold(Pattern requestLine, boolean answer, CompletableFuture<String> reached) {}

  private DockerProxy(Path socket, Path target) throws IOException {
    this.socket = socket;
    this.target = target;
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor = new Thread(this::accept, "docker-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on {@code socket}, forwarding to the engine's socket {@code target}. */
  public static DockerProxy start(Path socket, Path target) throws IOException { return new DockerProxy(socket, target); }

  /** What DOCKER_HOST names to reach the engine through this proxy. */
  public String host() { return "unix://" + socket; }

  /**
   * The next request whose request line matches is never forwarded; the future completes with that line once it is
   * held. The connection stays open and silent until its client goes away.
   */
  public CompletableFuture<String> holdRequest(String requestLineRegex) { return arm(requestLineRegex, false); }

  /** The next matching request is forwarded, its answer never: the future completes once the daemon has answered. */
  public CompletableFuture<String> holdAnswer(String requestLineRegex) { return arm(requestLineRegex, true); }

  private CompletableFuture<String> arm(String regex, boolean answer) {
    Hold hold = new Hold(Pattern.compile(regex), answer, new CompletableFuture<>());
    if (!armed.compareAndSet(null, hold)) throw new IllegalStateException("a hold is already armed");
    return hold.reached();
  }

  /** Nothing held any more from now on (what is held already stays held until its client goes away). */
  public void disarm() { armed.set(null); }

  /**
   * The events streams open now stop receiving anything, and stay open: the daemon's bytes for them are read and
   * dropped. Streams opened later are not touched. Returns how many were silenced.
   */
  public int silenceEventStreams() {
    int silenced = 0;
    for (Connection c : connections) {
      if (c.events) {
        c.silenced = true;
        silenced++;
      }
    }
    return silenced;
  }

  /** Bytes delivered to clients on events streams so far: activity on the stream, as its client sees it. */
  public long eventBytesDelivered() { return eventBytes.get(); }

  private void accept() {
    while (open) {
      try {
        SocketChannel client = server.accept();
        SocketChannel upstream;
        try {
          upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
        } catch (IOException e) {
          // The engine is down: the client sees its connection refused as it would without the proxy (closed at once).
          client.close();
          continue;
        }
        Connection c = new Connection(client, upstream);
        connections.add(c);
        c.start();
      } catch (IOException e) {
        if (open) System.err.println("[docker-proxy] accept: " + e.getMessage());
      }
    }
  }

  private final class Connection {
    final SocketChannel client;
    final SocketChannel upstream;
    volatile boolean events;
    volatile boolean silenced;
    /** A request held back: nothing more goes up on this connection. */
    volatile boolean requestHeld;
    /** The answer to a forwarded request is held back. */
    volatile Hold answerHeld;
    volatile String lastRequest = "";

    Connection(SocketChannel client, SocketChannel upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      Thread up = new Thread(this::clientToDaemon, "docker-proxy-up");
      Thread down = new Thread(this::daemonToClient, "docker-proxy-down");
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
    }

    private void clientToDaemon() {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      try {
        while (client.read(buf) >= 0) {
          buf.flip();
          String line = requestLine(buf);
          if (line != null) {
            lastRequest = line;
            if (line.matches("^GET /(v[0-9.]+/)?events\\b.*")) events = true;
            Hold hold = armed.get();
            if (hold != null && hold.requestLine().matcher(line).find() && armed.compareAndSet(hold, null)) {
              if (hold.answer()) {
                answerHeld = hold;
              } else {
                requestHeld = true;
                hold.reached().complete(line);
              }
            }
          }
          if (!requestHeld) {
            while (buf.hasRemaining()) upstream.write(buf);
          }
          buf.clear();
        }
      } catch (IOException e) {
        // either side went away
      } finally {
        close();
      }
    }

    private void daemonToClient() {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      try {
        while (upstream.read(buf) >= 0) {
          buf.flip();
          Hold hold = answerHeld;
          if (hold != null) {
            hold.reached().complete(lastRequest);
          } else if (!silenced) {
            int n = buf.remaining();
            while (buf.hasRemaining()) client.write(buf);
            if (events) eventBytes.addAndGet(n);
          }
          buf.clear();
        }
      } catch (IOException e) {
        // either side went away
      } finally {
        close();
      }
    }

    void close() {
      connections.remove(this);
      try {
        client.close();
      } catch (IOException ignored) {
        // closing
      }
      try {
        upstream.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private static final Pattern METHOD = Pattern.compile("^(GET|POST|PUT|DELETE|HEAD) /");

  /** The request line when these bytes start a request, else null. */
  private static String requestLine(ByteBuffer buf) {
    int n = Math.min(buf.remaining(), 1024);
    byte[] head = new byte[n];
    buf.duplicate().get(head);
    String text = new String(head, StandardCharsets.ISO_8859_1);
    if (!METHOD.matcher(text).find()) return null;
    int end = text.indexOf("\r\n");
    return end < 0 ? text : text.substring(0, end);
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
    for (Connection c : connections) c.close();
    Files.deleteIfExists(socket);
  }
}
