package io.openclaw.operator.admission;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.openclaw.operator.api.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operator as a Docker authorization plugin (DESIGN.md §5 "Admission contract"): the daemon asks it about every
 * API request before acting, and it answers from memory within a bounded time, never waiting on the reconciler or the
 * Kubernetes API. It fails closed: a request it cannot read, a decision it cannot make in time, or a desired state not
 * yet loaded is a denial.
 */
public final class Admission implements AutoCloseable {
  /** The plugin's name in daemon.json's authorization-plugins, and its socket. */
  public static final String PLUGIN = "openclaw-operator";
  public static final Path SOCKET = Path.of("/run/docker/plugins", PLUGIN + ".sock");
  /** The answer comes within this, or it is a denial. */
  public static final Duration BOUND = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  /** Where decisions are recorded: denials like remediations (status, recurrence, metric, Event), every one timed. */
  public interface Record {
    void decided(AdmissionJudge.Decision decision, Duration took);

    Record NONE = (decision, took) -> { };
  }

  private final AdmissionJudge judge;
  private final BooleanSupplier ready;
  private final Record record;
  private final PluginServer server;
  private final ExecutorService deciders = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "admission-decide");
    t.setDaemon(true);
    return t;
  });
  private final TimeLimiter limiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(BOUND).cancelRunningFuture(true).build());

  private Admission(Path socket, AdmissionJudge judge, BooleanSupplier ready, Record record) throws IOException {
    this.judge = judge;
    this.ready = ready;
    this.record = record;
    this.server = new PluginServer(socket, path -> switch (path) {
      case "/Plugin.Activate" -> body -> new PluginServer.Reply(200, "{\"Implements\":[\"authz\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      case "/AuthZPlugin.AuthZReq" -> this::request;
      case "/AuthZPlugin.AuthZRes" -> this::response;
      default -> null;
    });
    log.info("authorization plugin {} listening on {}", PLUGIN, socket);
  }

  /**
   * Serves the plugin on {@code socket}. {@code ready}: the desired state is loaded (until then every request is denied,
   * since an empty desired state would allow anything).
   */
  public static Admission serve(Path socket, AdmissionJudge judge, BooleanSupplier ready, Record record) throws IOException {
    return new Admission(socket, judge, ready, record);
  }

  public Path socket() { return server.socket(); }

  private PluginServer.Reply request(byte[] body) {
    long started = System.nanoTime();
    AdmissionJudge.Decision decision;
    AuthzRequest r = null;
    try {
      r = AuthzRequest.parse(body);
      AuthzRequest request = r;
      decision = !ready.getAsBoolean()
          ? AdmissionJudge.Decision.deny("admission.not_ready", "the operator is loading its desired state: try again in a moment")
          : limiter.executeFutureSupplier(() -> deciders.submit(() -> judge.decide(request)));
    } catch (java.util.concurrent.TimeoutException e) {
      decision = AdmissionJudge.Decision.deny("admission.timeout", "no decision within " + BOUND.toMillis() + " ms: refused (the plugin fails closed)");
    } catch (Exception e) {
      decision = AdmissionJudge.Decision.deny("admission.error", "the request could not be judged (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): refused (the plugin fails closed)");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    if (!decision.allow()) {
      log.warn("denied {} {}: {}", r == null ? "?" : r.method(), r == null ? "?" : r.path(), decision.message());
    }
    record.decided(decision, took);
    ObjectNode reply = Yaml.JSON.createObjectNode().put("Allow", decision.allow()).put("Msg", decision.message());
    return new PluginServer.Reply(200, Yaml.JSON.writeValueAsBytes(reply));
  }

  private PluginServer.Reply response(byte[] body) {
    try {
      judge.responded(AuthzRequest.parse(body));
    } catch (RuntimeException e) {
      log.debug("response phase not understood: {}", e.getMessage());
    }
    return new PluginServer.Reply(200, "{\"Allow\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.close();
    deciders.shutdownNow();
  }
}
