package io.openclaw.operator.testing;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine of the test's own (hack/test-dockerd.sh): for what would disturb every other test on the shared
 * engine, like an authorization plugin standing between the daemon and all its clients. Removed with everything in it
 * on {@link #close}, plugin off first.
 */
public final class TestEngine implements AutoCloseable {
  /** The stand-in stack's images, the sandbox image and Smokescreen: what an engine of a stack test is given. */
  public static final List<String> STANDIN_STACK = List.of("openclaw-standin/gateway:dev", "openclaw-standin/socket-proxy:dev",
      "openclaw-standin/model-proxy:dev", "openclaw-standin/cache:dev", DockerHost.SANDBOX_IMAGE, SmokescreenImage.reference());

  public final Path dir;
  public final String host;
  private final DockerApi api;
  private String plugin;

  private TestEngine(Path dir, String host) {
    this.dir = dir;
    this.host = host;
    this.api = DockerApi.connect(endpoint());
  }

  /** Starts one in {@code dir} with these images copied from the shared engine. */
  public static TestEngine start(Path dir, List<String> images) { return start(dir, images, List.of()); }

  /** The same, with flags for dockerd (like --debug, which logs every API request it serves). */
  public static TestEngine start(Path dir, List<String> images, List<String> dockerdFlags) {
    sweep(dir.getParent());
    List<String> start = new ArrayList<>(List.of("start", dir.toString()));
    start.addAll(dockerdFlags);
    TestEngine engine = new TestEngine(dir, script("test-dockerd.sh", start.toArray(String[]::new)).trim());
    try {
      List<String> args = new ArrayList<>(List.of("images", dir.toString()));
      args.addAll(images);
      script("test-dockerd.sh", args.toArray(String[]::new));
      return engine;
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  public DockerEndpoint endpoint() {
    return DockerEndpoint.of(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build());
  }

  public DockerApi api() { return api; }

  /** Stops the daemon (SIGTERM to exactly its pid; live-restore is off, so its containers stop with it), keeping its data. */
  public void stopDaemon() { script("test-dockerd.sh", "stop", dir.toString()); }

  /**
   * The same, killing it only if it has not stopped after {@code patience} (by default 20 s): for an engine with
   * hundreds of running containers, which it stops itself. Under five minutes, the bound of every script call here.
   */
  public void stopDaemon(Duration patience) { script("test-dockerd.sh", "stop", dir.toString(), Long.toString(patience.toSeconds())); }

  /** Starts it again on the same data root; returns once it answers. */
  public void startDaemon() { script("test-dockerd.sh", "start", dir.toString()); }

  /** Turns the authorization plugin on (hack/admission.sh on): from now on the daemon asks {@code socket}. */
  public void admissionOn(String name, Path socket) {
    script("admission.sh", "on", "--daemon", dir.toString(), "--name", name, "--socket", socket.toString());
    plugin = name;
  }

  public void admissionOff() {
    if (plugin == null) return;
    script("admission.sh", "off", "--daemon", dir.toString(), "--name", plugin);
    plugin = null;
  }

  /** The docker CLI against this engine: exit code and combined output. */
  public Cli docker(String... args) { return docker(Duration.ofSeconds(90), args); }

  public Cli docker(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", host));
    command.addAll(List.of(args));
    return Cli.run(command, timeout);
  }

  /** curl on this engine's socket: a raw API request, for what the CLI never sends (old API versions, huge bodies). */
  public Cli curl(String method, String path, String body) {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}", "--unix-socket", dir.resolve("docker.sock").toString(),
        "-X", method, "-H", "Content-Type: application/json"));
    if (body != null) command.addAll(List.of("--data-binary", "@-"));
    command.add("http://localhost" + path);
    return Cli.run(command, Duration.ofSeconds(90), body);
  }

  public record Cli(int exit, String output, Duration took) {
    public boolean ok() { return exit == 0; }

    /** For curl: the HTTP status, printed last. */
    public int status() { return Integer.parseInt(output.substring(output.lastIndexOf('\n') + 1).trim()); }

    static Cli run(List<String> command, Duration timeout) { return run(command, timeout, null); }

    static Cli run(List<String> command, Duration timeout, String stdin) {
      long started = System.nanoTime();
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Cli(p.exitValue(), out, Duration.ofNanos(System.nanoTime() - started));
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * Removes the engines of test runs that died without cleaning up (their directories untouched for two hours; a run
   * still going on beside this one is left alone), with their plugin spec files.
   */
  private static void sweep(Path parent) {
    long stale = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
    try (var dirs = java.nio.file.Files.newDirectoryStream(parent, "it-*-engine")) {
      for (Path d : dirs) {
        if (java.nio.file.Files.getLastModifiedTime(d.resolve("dockerd.log")).toMillis() < stale) {
          String run = d.getFileName().toString().replace("-engine", "");
          script("admission.sh", "off", "--daemon", d.toString(), "--name", run + "-authz");
          script("test-dockerd.sh", "remove", d.toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("[test-engine] sweeping old engines: " + e.getMessage());
    }
  }

  private static String script(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("repo.root", "..")).resolve("hack").resolve(name).toString()));
    command.addAll(List.of(args));
    Cli cli = Cli.run(command, Duration.ofMinutes(5));
    if (!cli.ok()) throw new IllegalStateException("hack/" + name + " " + String.join(" ", args) + " failed: " + cli.output());
    // The scripts log on stderr; their answer is the last line.
    String[] lines = cli.output().split("\n");
    return lines[lines.length - 1];
  }

  @Override
  public void close() {
    try {
      admissionOff();
      api.close();
    } catch (IOException | RuntimeException e) {
      System.err.println("[test-engine] " + e.getMessage());
    } finally {
      script("test-dockerd.sh", "remove", dir.toString());
    }
  }
}
