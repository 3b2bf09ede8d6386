package io.openclaw.operator.testing;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.status.FileStatusWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The operator as users run it: the jar `package` built, `run --manifests DIR --state-dir S`, in a process of its own, so
 * a test can kill it with SIGKILL and start it again on the same state directory. Its output goes to one log file across
 * restarts.
 */
public final class OperatorProcess implements AutoCloseable {
  public final Path manifests;
  public final Path stateDir;
  public final Path log;
  private final String dockerHost;
  private final List<String> extraArgs;
  private final int port;
  private final FileStatusWriter status;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  private OperatorProcess(Path manifests, Path stateDir, Path log, String dockerHost, List<String> extraArgs) throws IOException {
    this.manifests = manifests;
    this.stateDir = stateDir;
    this.log = log;
    this.dockerHost = dockerHost;
    this.extraArgs = extraArgs;
    this.port = freePort();
    this.status = new FileStatusWriter(stateDir);
  }

  /** Starts `run` on {@code manifests} against {@code dockerHost} (a DOCKER_HOST value), with these further flags. */
  public static OperatorProcess start(Path manifests, Path stateDir, Path log, String dockerHost, String... extraArgs) throws IOException {
    OperatorProcess p = new OperatorProcess(manifests, stateDir, log, dockerHost, List.of(extraArgs));
    p.launch();
    return p;
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("operator.jar", Fixtures.repoRoot().resolve("operator/target/openclaw-docker-operator.jar").toString()));
    if (!Files.exists(jar)) throw new IllegalStateException("no operator jar at " + jar + ": run `mvn package` first (failsafe runs after it)");
    return jar;
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(JarLaunch.command(jar()));
    command.addAll(List.of("run", "--manifests", manifests.toString(), "--state-dir", stateDir.toString(), "--http-address", "127.0.0.1:" + port));
    command.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("DOCKER_HOST", dockerHost);
    Files.writeString(log, "---- started: " + String.join(" ", command) + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process = pb.start();
    // A test JVM that dies (a killed build) takes its operator with it rather than leaving it running against nothing.
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "operator-process-reaper"));
  }

  public long pid() { return process.pid(); }

  public boolean alive() { return process.isAlive(); }

  /** SIGKILL: no shutdown hook runs, nothing is finished or written; returns once the process is gone. */
  public void kill() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).inheritIO().start().waitFor();
    if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("operator " + process.pid() + " survived SIGKILL");
  }

  /** Starts it again with the same arguments and state directory (after {@link #kill}). */
  public void restart() throws IOException {
    if (process.isAlive()) throw new IllegalStateException("the operator still runs");
    launch();
  }

  /** The HTTP status of one of its endpoints, or -1 when nothing answers. */
  public int httpStatus(String path) {
    try {
      return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The value of one metric (the first series of that name), or -1. */
  public double metric(String name) {
    try {
      String text = http.send(request("/metrics"), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
      return -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build();
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of its log, for a failure's message. */
  public String logTail(int lines) {
    List<String> all = logText().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** The status a resource's file says, or a missing node. */
  public JsonNode status(ResourceKey key) {
    Path file = status.fileOf(key);
    try {
      return Files.exists(file) ? Yaml.MAPPER.readTree(Files.readString(file)).path("status") : Yaml.JSON.missingNode();
    } catch (IOException | RuntimeException e) {
      return Yaml.JSON.missingNode();
    }
  }

  public boolean ready(ResourceKey key) {
    for (JsonNode c : status(key).path("conditions")) {
      if (c.path("type").asString().equals("Ready")) return c.path("status").asString().equals("True");
    }
    return false;
  }

  public long observedGeneration(ResourceKey key) { return status(key).path("observedGeneration").asLong(0); }

  /** Ready for this generation of the spec or a later one. */
  public boolean readyAt(ResourceKey key, long generation) { return ready(key) && observedGeneration(key) >= generation; }

  /** What {@code <state-dir>/ownership.json} records now. */
  public JsonNode ownership() {
    try {
      return Yaml.JSON.readTree(Files.readString(stateDir.resolve("ownership.json"))).path("containers");
    } catch (IOException e) {
      return Yaml.JSON.missingNode();
    }
  }

  /** Replaces a manifest atomically, as editors save. */
  public void write(String file, String yaml) throws IOException {
    Path tmp = manifests.resolve("." + file + ".tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, manifests.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM, as a service manager stops it; SIGKILL if it does not stop within 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process == null || !process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
