package io.openclaw.operator.host;

import io.openclaw.operator.api.ConfigSource;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SecretMount;
import io.openclaw.operator.api.SecretSource;
import io.openclaw.operator.api.WorkspaceFile;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.Component;
import io.openclaw.operator.plan.ContainerSpec;
import io.openclaw.operator.plan.FileSpec;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Everything a GatewayDeployment's plan needs besides the spec, gathered the same way for `run` and for `plan`:
 * secret values and the base config (read through the source), the files inside its containers, the sandboxes on
 * the host. Reads only; the planner decides.
 */
public final class GatewayInputs {
  private GatewayInputs() {}

  /**
   * The inputs of one gateway's stack.
   *
   * @throws SecretReader.Unavailable when a secret cannot be read
   * @throws IllegalArgumentException when the base openclaw.json is not a JSON object (or not JSON at all)
   */
  public static GatewayStack.Inputs inputs(DesiredStore store, SecretReader secrets, Manifest gateway) {
    GatewayDeployment gwd = gateway.as(GatewayDeployment.class);
    Map<String, byte[]> values = new HashMap<>();
    read(secrets, gateway, Component.GATEWAY, gwd.getSpec().gateway().secrets(), values);
    if (gwd.getSpec().modelProxy() != null) {
      read(secrets, gateway, Component.MODEL_PROXY, gwd.getSpec().modelProxy().secrets(), values);
      SecretSource key = gwd.getSpec().modelProxy().gatewayKey();
      if (key != null) values.put(GatewayStack.Inputs.MODEL_PROXY_KEY, key.file() != null ? secrets.file(gateway, key.file()) : secrets.secretRef(gateway, key.secretRef()));
    }
    if (gwd.getSpec().gateway().workspaceFiles() != null) {
      for (WorkspaceFile w : gwd.getSpec().gateway().workspaceFiles()) {
        byte[] content = w.file() != null ? secrets.file(gateway, w.file())
            : w.secretRef() != null ? secrets.secretRef(gateway, w.secretRef()) : secrets.configMapRef(gateway, w.configMapRef());
        values.put(GatewayStack.Inputs.workspaceKey(w.name()), content);
      }
    }
    JsonNode base;
    try {
      base = baseConfig(secrets, gateway, gwd);
    } catch (tools.jackson.core.JacksonException e) {
      throw new IllegalArgumentException("the base openclaw.json is not valid JSON5: " + e.getOriginalMessage(), e);
    }
    return new GatewayStack.Inputs(gwd, store.policyFor(gateway.key()).orElse(null), store.allowlistFor(gwd).orElse(null), base, values);
  }

  /**
   * The files as they are inside the running containers of the current spec. A container that is not running is
   * not read: reading it would make the daemon mount its root filesystem for the copy (and a daemon stopped in the
   * middle of that leaves the mount behind); its files are judged once it runs again. The containers are read at once,
   * each on a thread of its own (the daemon serves one container's copies one after another, but different containers'
   * side by side): the pass that finds a cold start's stack Ready waits for the slowest container, not for their sum.
   */
  static Map<String, Map<String, byte[]>> liveFiles(HostView.FileReader reader, GatewayStack.Desired desired, HostSnapshot host) {
    Map<String, Supplier<Map<String, byte[]>>> reads = new LinkedHashMap<>();
    for (ContainerSpec spec : desired.containers()) {
      if (spec.files().isEmpty()) continue;
      Optional<ContainerView> live = host.containerNamed(spec.name());
      if (live.isEmpty() || !live.get().running() || !spec.specHash().equals(live.get().label(Labels.SPEC_HASH))) continue;
      reads.put(live.get().id(), () -> filesOf(reader, live.get().id(), spec));
    }
    // The first container on this thread, the others beside it.
    Map<String, CompletableFuture<Map<String, byte[]>>> others = new HashMap<>();
    reads.entrySet().stream().skip(1).forEach(r -> others.put(r.getKey(), CompletableFuture.supplyAsync(r.getValue(), READERS)));
    Map<String, Map<String, byte[]>> out = new HashMap<>();
    RuntimeException failed = null;
    for (Map.Entry<String, Supplier<Map<String, byte[]>>> r : reads.entrySet()) {
      try {
        CompletableFuture<Map<String, byte[]>> other = others.get(r.getKey());
        out.put(r.getKey(), other == null ? r.getValue().get() : other.join());
      } catch (CompletionException e) {
        if (failed == null) failed = e.getCause() instanceof RuntimeException cause ? cause : e;
      } catch (RuntimeException e) {
        if (failed == null) failed = e;
      }
    }
    if (failed != null) throw failed; // the daemon unreachable: after every read has ended, none left behind
    return out;
  }

  private static Map<String, byte[]> filesOf(HostView.FileReader reader, String containerId, ContainerSpec spec) {
    Map<String, byte[]> files = new HashMap<>();
    for (FileSpec f : spec.files()) {
      if (f.directory()) continue;
      try {
        reader.read(containerId, f.path()).ifPresent(bytes -> files.put(f.path(), bytes));
      } catch (DockerException e) {
        if (e instanceof DockerException.Unavailable) throw e;
        // unreadable counts as different: the file is delivered again
      }
    }
    return files;
  }

  /** The threads that read the containers other than the first; idle ones end after a minute. */
  private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "read-files");
    t.setDaemon(true);
    return t;
  });

  /** Containers some SandboxPolicy governs: their isolation is the policy's business, not foreign-container handling. */
  static Set<String> sandboxIds(DesiredStore store, HostSnapshot host) {
    Set<String> ids = new HashSet<>();
    List<SandboxPolicy> policies = store.all(SandboxPolicy.class);
    for (ContainerView container : host.allContainers()) {
      if (policies.stream().anyMatch(p -> p.getSpec().selector().matches(container.labels()))) ids.add(container.id());
    }
    return ids;
  }

  private static JsonNode baseConfig(SecretReader secrets, Manifest owner, GatewayDeployment gwd) {
    ConfigSource source = gwd.getSpec().gateway().configFrom();
    if (source == null) return null;
    byte[] bytes = source.file() != null ? secrets.file(owner, source.file()) : secrets.secretRef(owner, source.secretRef());
    return OpenClawConfig.parseBase(bytes);
  }

  private static void read(SecretReader secrets, Manifest owner, Component component, List<SecretMount> mounts, Map<String, byte[]> out) {
    if (mounts == null) return;
    for (SecretMount s : mounts) {
      byte[] value = s.file() != null ? secrets.file(owner, s.file()) : secrets.secretRef(owner, s.secretRef());
      out.put(GatewayStack.Inputs.secretKey(component, s.name()), value);
    }
  }

}
