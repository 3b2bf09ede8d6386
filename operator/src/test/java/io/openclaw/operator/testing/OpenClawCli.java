package io.openclaw.operator.testing;

import io.openclaw.operator.api.Yaml;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The real OpenClaw CLI (pinned, installed by hack/openclaw.sh into a cache outside the checkout) running agent turns
 * on this machine's Docker engine, the way a gateway makes sandboxes. Two adjustments, both confined to the test
 * process's environment (OpenClaw itself is unchanged):
 * <ul>
 *   <li>OpenClaw adds no labels of its own choosing to a sandbox (its config has none for sandbox containers), so a
 *   {@code docker} shim first on its PATH adds this test run's label (and {@value #TURN_LABEL}, naming the turn) to
 *   {@code docker create} and passes every call on to the docker CLI OpenClaw would have used, otherwise unchanged.
 *   The test's SandboxPolicy selects on the run's label, and never on another test's sandboxes on the shared engine.
 *   OpenClaw puts /usr/bin and /bin first on its PATH when it starts (so it runs Debian's docker client here, not the
 *   one first on the caller's PATH); {@code OPENCLAW_PATH_BOOTSTRAPPED=1} leaves its PATH to the shim, which then
 *   calls the docker that OpenClaw's own PATH order would have found.</li>
 *   <li>Where {@code /.dockerenv} (or Podman's {@code .containerenv}) exists, OpenClaw believes it runs in a container
 *   and insists on finding that container on the daemon to translate its bind sources ("Cannot resolve sandbox bind
 *   sources from this Gateway container"); no setting turns that off. A preload hides those sentinel files from the
 *   OpenClaw process; on a host without them it changes nothing.</li>
 * </ul>
 */
public final class OpenClawCli {
  /** The label the shim gives each sandbox: which turn created it. */
  public static final String TURN_LABEL = "openclaw-operator-test.turn";
  /** OpenClaw's PATH bootstrap puts these first (ensureOpenClawCliOnPath). */
  private static final List<String> OPENCLAW_PATH_FIRST = List.of("/usr/bin", "/bin");

  /** The first run of the install script downloads OpenClaw and Node (about a minute; cached afterwards). */
  private static final long INSTALL_TIMEOUT_SECONDS = 600;

  private final Path wrapper;
  private final Path dir;
  private final Path shimDir;
  private final Path preload;

  private OpenClawCli(Path wrapper, Path dir, Path shimDir, Path preload) {
    this.wrapper = wrapper;
    this.dir = dir;
    this.shimDir = shimDir;
    this.preload = preload;
  }

  /** Installs OpenClaw if needed; its sandboxes get the label {@code key=value}. {@code dir} holds the shim and outputs. */
  public static OpenClawCli install(Path dir, String labelKey, String labelValue) throws Exception {
    Files.createDirectories(dir);
    Run path = run(List.of(Fixtures.repoRoot().resolve("hack/openclaw.sh").toString(), "path"), Map.of(), dir, INSTALL_TIMEOUT_SECONDS);
    if (path.exit() != 0) {
      throw new IllegalStateException("hack/openclaw.sh path failed (npm must reach its registry for the first install): " + path.stderr());
    }
    Path wrapper = Path.of(path.stdout().trim());

    Path shimDir = Files.createDirectories(dir.resolve("bin"));
    Path shim = shimDir.resolve("docker");
    Files.writeString(shim, """
        #!/bin/sh
        # Test shim: labels the sandboxes OpenClaw creates with the test run's label; everything else is unchanged.
        if [ "$1" = create ]; then shift; exec '%1$s' create --label '%2$s=%3$s' --label "%4$s=${OPENCLAW_TEST_TURN:-}" "$@"; fi
        exec '%1$s' "$@"
        """.formatted(realDocker(), labelKey, labelValue, TURN_LABEL));
    Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path preload = dir.resolve("hide-container-sentinels.cjs");
    Files.writeString(preload, """
        // Test preload: this host is no container to OpenClaw (see OpenClawCli).
        const fs = require('node:fs');
        const hidden = new Set(['/.dockerenv', '/run/.containerenv', '/var/run/.containerenv']);
        const existsSync = fs.existsSync, accessSync = fs.accessSync;
        fs.existsSync = (p) => hidden.has(String(p)) ? false : existsSync(p);
        fs.accessSync = (p, mode) => {
          if (hidden.has(String(p))) throw Object.assign(new Error('ENOENT: no such file or directory, access ' + p), {code: 'ENOENT'});
          return accessSync(p, mode);
        };
        """);
    return new OpenClawCli(wrapper, dir, shimDir, preload);
  }

  public static boolean hostLooksLikeAContainer() {
    return Files.exists(Path.of("/.dockerenv")) || Files.exists(Path.of("/run/.containerenv"));
  }

  /** What {@code openclaw --version} says, e.g. "OpenClaw 2026.9.6 (eb377ac)". */
  public String version() throws Exception {
    return run(List.of(wrapper.toString(), "--version"), Map.of(), dir, 120).stdout().strip();
  }

  /** A process's result; stdout holds OpenClaw's JSON, stderr its log (the tail). */
  public record Run(int exit, String stdout, String stderr, long millis) {
    public JsonNode json() {
      try {
        return Yaml.JSON.readTree(stdout);
      } catch (RuntimeException e) {
        return Yaml.JSON.missingNode();
      }
    }

    /** The agent's reply text (payloads), empty when the turn failed. */
    public String reply() {
      StringBuilder out = new StringBuilder();
      json().path("payloads").forEach(p -> out.append(p.path("text").asString("")).append('\n'));
      return out.toString().strip();
    }

    /** OpenClaw's own error message for a failed turn, empty when there is none. */
    public String error() { return json().path("error").path("message").asString(""); }

    /** The error classes OpenClaw's log names ({@code errorName=...}), e.g. SandboxProvisioningError. */
    public java.util.Set<String> errorNames() {
      java.util.Set<String> names = new java.util.TreeSet<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("errorName=(\\w+)").matcher(stderr);
      while (m.find()) names.add(m.group(1));
      return names;
    }

    /** The reply, or else the error, or else the end of the log: one line for the test's output. */
    public String summary() {
      String s = !reply().isEmpty() ? "reply: " + reply() : !error().isEmpty() ? "error: " + error()
          : "no JSON result; log tail: " + stderr.substring(Math.max(0, stderr.length() - 600));
      return s.replace('\n', ' ');
    }
  }

  /**
   * One embedded agent turn ({@code openclaw agent --local --json}) with this config, in this state directory (one
   * turn at a time per state directory: OpenClaw locks it), for this session key; {@code turn} names it in the
   * {@value #TURN_LABEL} label of the sandboxes it creates.
   */
  public Run turn(String turn, Path config, Path stateDir, String sessionKey, String message, long timeoutSeconds) throws Exception {
    Files.createDirectories(stateDir);
    String path = String.join(File.pathSeparator, shimDir.toString(), String.join(File.pathSeparator, OPENCLAW_PATH_FIRST), System.getenv("PATH"));
    return run(List.of(wrapper.toString(), "agent", "--local", "--json", "--session-key", sessionKey, "--message", message,
        "--timeout", Long.toString(timeoutSeconds)),
        Map.of("OPENCLAW_CONFIG_PATH", config.toString(), "OPENCLAW_STATE_DIR", stateDir.toString(),
            "NODE_OPTIONS", "--require " + preload, "PATH", path, "OPENCLAW_PATH_BOOTSTRAPPED", "1", "OPENCLAW_TEST_TURN", turn),
        dir, timeoutSeconds + 120);
  }

  /** Runs a command with its output in files, so a hung process cannot block the test past the timeout. */
  private static Run run(List<String> command, Map<String, String> env, Path dir, long timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(env);
    long t = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      // The wrapper runs node as a child (not exec), so the whole tree goes.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    String stderr = Files.readString(err);
    return new Run(p.exitValue(), Files.readString(out), stderr.length() > 8000 ? stderr.substring(stderr.length() - 8000) : stderr,
        (System.nanoTime() - t) / 1_000_000);
  }

  /** The docker CLI OpenClaw would have found on its PATH. */
  private static String realDocker() {
    List<String> dirs = new java.util.ArrayList<>(OPENCLAW_PATH_FIRST);
    dirs.addAll(List.of(System.getenv("PATH").split(File.pathSeparator)));
    for (String d : dirs) {
      Path candidate = Path.of(d, "docker");
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    throw new IllegalStateException("no docker CLI on PATH");
  }
}
