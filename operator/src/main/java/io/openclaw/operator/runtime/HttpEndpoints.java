package io.openclaw.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** /healthz, /readyz and Prometheus /metrics, on loopback unless told otherwise. */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer server;

  public HttpEndpoints(InetSocketAddress address, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
    server = HttpServer.create(address, 0);
    server.createContext("/healthz", ex -> reply(ex, 200, "ok\n", "text/plain"));
    server.createContext("/readyz", ex -> {
      boolean ok = ready.getAsBoolean();
      reply(ex, ok ? 200 : 503, ok ? "ready\n" : "not ready: the host is not listed or the desired state is not loaded yet\n", "text/plain");
    });
    server.createContext("/metrics", ex -> reply(ex, 200, metrics.get(), "text/plain; version=0.0.4; charset=utf-8"));
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public int port() { return server.getAddress().getPort(); }

  private static void reply(HttpExchange ex, int status, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() { server.stop(0); }
}
