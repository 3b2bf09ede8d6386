package io.openclaw.operator.admission;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 on a unix socket, as Docker's plugin protocol speaks it: the daemon POSTs JSON to /Plugin.Activate and the
 * AuthZ endpoints and reads JSON back, on keep-alive connections. Small on purpose: a request too large or malformed
 * gets an error, which the daemon counts as a denial.
 */
final class PluginServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PluginServer.class);
  /** The daemon passes bodies up to 1 MiB, base64-encoded, plus a response body in the response phase. */
  static final int MAX_REQUEST = 8 << 20;
  static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1.2+json";

  /** A path and its JSON body, answered with a status and a JSON body. */
  record Reply(int status, byte[] body) {}

  private final Path socket;
  private final ServerSocketChannel server;
  private final ExecutorService connections;
  private final Thread acceptor;
  private volatile boolean open = true;

  PluginServer(Path socket, Function<String, Function<byte[], Reply>> routes) throws IOException {
    this.socket = socket;
    Files.createDirectories(socket.getParent());
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    // Only the daemon (root) talks to it.
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    connections = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "admission-connection");
      t.setDaemon(true);
      return t;
    });
    acceptor = new Thread(() -> accept(routes), "admission-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  Path socket() { return socket; }

  private void accept(Function<String, Function<byte[], Reply>> routes) {
    while (open) {
      try {
        SocketChannel client = server.accept();
        connections.submit(() -> serve(client, routes));
      } catch (IOException e) {
        if (open) log.warn("admission socket {}: {}", socket, e.getMessage());
      }
    }
  }

  private void serve(SocketChannel client, Function<String, Function<byte[], Reply>> routes) {
    try (client; InputStream in = Channels.newInputStream(client); OutputStream out = Channels.newOutputStream(client)) {
      while (open) {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) return;
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
          int colon = h.indexOf(':');
          if (colon > 0) headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        String[] parts = requestLine.split(" ");
        byte[] body;
        Reply reply;
        try {
          body = body(in, headers);
          reply = parts.length < 2 ? new Reply(400, error("bad request line")) : route(routes, parts[1], body);
        } catch (IllegalArgumentException e) {
          reply = new Reply(400, error(e.getMessage()));
          body = null;
        }
        boolean close = "close".equalsIgnoreCase(headers.get("connection")) || body == null;
        write(out, reply, close);
        if (close) return;
      }
    } catch (IOException e) {
      log.debug("admission connection ended: {}", e.getMessage());
    }
  }

  private static Reply route(Function<String, Function<byte[], Reply>> routes, String path, byte[] body) {
    Function<byte[], Reply> handler = routes.apply(path);
    return handler == null ? new Reply(404, error("no such endpoint: " + path)) : handler.apply(body);
  }

  private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        if (size == null) throw new IOException("connection closed in a chunk");
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          line(in);
          return buffer.toByteArray();
        }
        if (buffer.size() + n > MAX_REQUEST) throw new IllegalArgumentException("request larger than " + MAX_REQUEST + " bytes");
        buffer.write(in.readNBytes(n));
        line(in);
      }
    }
    String length = headers.getOrDefault("content-length", "0");
    long n;
    try {
      n = Long.parseLong(length);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad Content-Length " + length);
    }
    if (n < 0 || n > MAX_REQUEST) throw new IllegalArgumentException("request larger than " + MAX_REQUEST + " bytes");
    byte[] body = in.readNBytes((int) n);
    if (body.length != n) throw new IOException("connection closed in the body");
    return body;
  }

  /** One CRLF-terminated line (at most 16 KiB), or null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') break;
      if (c != '\r') buffer.write(c);
      if (buffer.size() > 16 << 10) throw new IOException("header line too long");
    }
    if (c == -1 && buffer.size() == 0) return null;
    return buffer.toString(StandardCharsets.ISO_8859_1);
  }

  private static void write(OutputStream out, Reply reply, boolean close) throws IOException {
    String head = "HTTP/1.1 " + reply.status() + (reply.status() == 200 ? " OK" : " Error") + "\r\nContent-Type: " + CONTENT_TYPE
        + "\r\nContent-Length: " + reply.body().length + (close ? "\r\nConnection: close" : "") + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(reply.body());
    out.flush();
  }

  static byte[] error(String message) {
    return ("{\"Err\":" + io.openclaw.operator.api.Yaml.json(message) + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    open = false;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    connections.shutdownNow();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // a socket file left behind is replaced at the next start
    }
  }
}
