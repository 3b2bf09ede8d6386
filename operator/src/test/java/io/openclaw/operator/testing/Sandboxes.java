package io.openclaw.operator.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes sandboxes the way OpenClaw does (DESIGN.md §1: docker create with these flags, then start), through the
 * docker CLI, labelled for this test run. {@link #conforming} is exactly OpenClaw's shape under the seed policy.
 */
public final class Sandboxes {
  private final String runId;
  private final String sandboxRoot;
  /** The engine's address for the CLI; null: the environment's. */
  private final String dockerHost;
  private final AtomicInteger counter = new AtomicInteger();

  public Sandboxes(DockerHost docker, String stateDir) { this(docker.runId(), stateDir, null); }

  public Sandboxes(String runId, String stateDir, String dockerHost) {
    this.runId = runId;
    this.sandboxRoot = stateDir + "/sandboxes";
    this.dockerHost = dockerHost;
  }

  public String sandboxRoot() { return sandboxRoot; }

  public String nextName() { return runId + "-sbx-" + counter.incrementAndGet(); }

  /** OpenClaw's flags for a conforming sandbox: private workspace rw, its skills ro, tmpfs, --init, read-only root. */
  public List<String> conforming(String name) {
    String slug = name.substring(name.indexOf("-sbx-") + 1);
    return new ArrayList<>(List.of("--init", "--label", "openclaw.sandbox=1", "--label", "openclaw.sessionKey=agent:" + slug,
        "--label", "openclaw.createdAtMs=" + System.currentTimeMillis(), "--label", "openclaw.mountFormatVersion=4",
        "--label", "openclaw.createArgsEpoch=2026-08-25-container-env-file", "--label", "openclaw.configHash=test",
        "--label", DockerHost.TEST_LABEL + "=" + runId,
        "--read-only", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/run", "--network", "none", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "--pids-limit", "512", "--memory", "1g", "--memory-swap", "1g", "--cpus", "1",
        "--workdir", "/workspace", "-v", sandboxRoot + "/" + slug + ":/workspace:z",
        "-v", sandboxRoot + "/" + slug + "/skills:/workspace/skills:ro,z"));
  }

  /** docker create NAME with these flags; returns the id. */
  public String create(String name, List<String> flags) { return docker("create", name, flags); }

  /** docker run -d (create then start in one client call); returns the id, or the CLI's error text when it failed. */
  public String run(String name, List<String> flags) { return docker("run", name, flags); }

  /** Removes one flag (and its value when it takes one) from a flag list. */
  public static List<String> without(List<String> flags, String flag, boolean hasValue) {
    List<String> out = new ArrayList<>(flags);
    int i = out.indexOf(flag);
    if (i >= 0) {
      out.remove(i);
      if (hasValue) out.remove(i);
    }
    return out;
  }

  private String docker(String verb, String name, List<String> flags) {
    List<String> command = new ArrayList<>(List.of("docker"));
    if (dockerHost != null) command.addAll(List.of("-H", dockerHost));
    command.add(verb);
    if (verb.equals("run")) command.add("-d");
    command.addAll(List.of("--name", name));
    command.addAll(flags);
    command.addAll(List.of(DockerHost.SANDBOX_IMAGE, "sleep", "infinity"));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return out;
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
