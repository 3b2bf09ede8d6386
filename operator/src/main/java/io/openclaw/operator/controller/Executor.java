package io.openclaw.operator.controller;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.ContainerSpec;
import io.openclaw.operator.plan.FileSpec;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.Limits;
import io.openclaw.operator.plan.MountSpec;
import io.openclaw.operator.plan.NetworkSpec;
import io.openclaw.operator.plan.rules.PathCanon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries out planned actions with the Docker API. Idempotent: names and labels make a retried create find what
 * the first attempt made, and already-gone or already-stopped answers count as done.
 */
public final class Executor {
  private static final Logger log = LoggerFactory.getLogger(Executor.class);
  private static final int STOP_TIMEOUT_SECONDS = 10;

  /** The image is neither present nor pullable; nothing was torn down. */
  public static final class ImageUnavailable extends RuntimeException {
    public final String image;

    ImageUnavailable(String image, String why) {
      super("image " + image + " is not present and cannot be pulled: " + why);
      this.image = image;
    }
  }

  private final DockerApi docker;
  private final java.util.Optional<Path> hostFilesystem;

  /** {@code hostFilesystem}: where the Docker host's root is visible to this process, if anywhere. */
  public Executor(DockerApi docker, java.util.Optional<Path> hostFilesystem) {
    this.docker = docker;
    this.hostFilesystem = hostFilesystem;
  }

  public void apply(Action action) {
    // Java 17 has no pattern switch; the sealed interface keeps this list complete (see ExecutorTest).
    if (action instanceof Action.CreateNetwork a) {
      createNetwork(a.spec());
    } else if (action instanceof Action.RecreateNetwork a) {
      a.attached().forEach(container -> docker.disconnect(a.id(), container));
      docker.removeNetwork(a.id());
      createNetwork(a.spec());
    } else if (action instanceof Action.RemoveNetwork a) {
      a.attached().forEach(container -> docker.disconnect(a.id(), container));
      docker.removeNetwork(a.id());
    } else if (action instanceof Action.CreateContainer a) {
      create(a.spec());
    } else if (action instanceof Action.RecreateContainer a) {
      ensureImage(a.spec().image());
      if (!a.kill()) docker.stop(a.id(), STOP_TIMEOUT_SECONDS);
      docker.remove(a.id(), true);
      create(a.spec());
    } else if (action instanceof Action.StartContainer a) {
      docker.start(a.id());
    } else if (action instanceof Action.RemoveContainer a) {
      // A breach: a forced remove is SIGKILL then removal inside the daemon, in one call, so the process dies a
      // round trip sooner than with a separate kill; a container not yet started is removed before it can start.
      if (!a.kill()) docker.stop(a.id(), STOP_TIMEOUT_SECONDS);
      docker.remove(a.id(), true);
    } else if (action instanceof Action.KillContainer a) {
      docker.kill(a.id());
    } else if (action instanceof Action.UpdateLimits a) {
      updateLimits(a.id(), a.limits(), a.restartPolicy());
    } else if (action instanceof Action.ConnectNetwork a) {
      try {
        docker.connect(a.network(), a.containerId(), a.aliases());
      } catch (DockerException e) {
        if (!e.getMessage().contains("already exists")) throw e;
      }
    } else if (action instanceof Action.DisconnectNetwork a) {
      docker.disconnect(a.network(), a.containerId());
    } else if (action instanceof Action.DeliverFiles a) {
      docker.putFiles(a.id(), archive(a.files()));
      docker.restart(a.id(), STOP_TIMEOUT_SECONDS);
    } else {
      throw new IllegalArgumentException("no executor for " + action.type());
    }
  }

  private void createNetwork(NetworkSpec spec) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("Name", spec.name()).put("Driver", "bridge").put("Internal", spec.internal()).put("CheckDuplicate", true);
    body.set("Labels", Yaml.JSON.valueToTree(spec.labels()));
    body.set("Options", Yaml.JSON.valueToTree(spec.options()));
    try {
      docker.createNetwork(body);
    } catch (DockerException e) {
      if (!e.conflict()) throw e;
    }
  }

  /** Create, write files, connect the other networks, start: files are in place before any process reads them. */
  private void create(ContainerSpec spec) {
    ensureImage(spec.image());
    ensureHostDirectories(spec);
    String id;
    try {
      id = docker.createContainer(spec.name(), createBody(spec));
    } catch (DockerException e) {
      if (!e.conflict()) throw e;
      // A retried create: the first attempt made it. Use it only if it is ours and of this spec.
      ContainerView existing = docker.inspectContainer(spec.name()).orElseThrow(() -> e);
      if (!spec.specHash().equals(existing.label(io.openclaw.operator.plan.Labels.SPEC_HASH))) throw e;
      id = existing.id();
    }
    if (!spec.files().isEmpty()) docker.putFiles(id, archive(spec.files()));
    for (Map.Entry<String, List<String>> network : spec.networks().entrySet()) {
      if (network.getKey().equals(spec.primaryNetwork())) continue;
      try {
        docker.connect(network.getKey(), id, network.getValue());
      } catch (DockerException e) {
        if (!e.getMessage().contains("already exists")) throw e;
      }
    }
    docker.start(id);
  }

  static ObjectNode createBody(ContainerSpec spec) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("Image", spec.image());
    if (spec.user() != null && !spec.user().isEmpty()) body.put("User", spec.user());
    strings(body.putArray("Env"), spec.env());
    if (!spec.entrypoint().isEmpty()) strings(body.putArray("Entrypoint"), spec.entrypoint());
    if (!spec.command().isEmpty()) strings(body.putArray("Cmd"), spec.command());
    body.set("Labels", Yaml.JSON.valueToTree(spec.labelsWithHash()));
    ObjectNode host = body.putObject("HostConfig");
    host.putArray("CapDrop").add("ALL");
    host.putArray("SecurityOpt").add("no-new-privileges");
    host.put("Privileged", false);
    putLimits(host, spec.limits(), true);
    host.putObject("RestartPolicy").put("Name", ContainerSpec.RESTART_POLICY);
    host.put("NetworkMode", spec.primaryNetwork());
    ArrayNode binds = host.putArray("Binds");
    ArrayNode mounts = host.putArray("Mounts");
    for (MountSpec m : spec.mounts()) {
      if (m.bind()) binds.add(m.bindString());
      else mounts.addObject().put("Type", "volume").put("Source", m.source()).put("Target", m.target()).put("ReadOnly", m.readOnly());
    }
    if (!spec.ports().isEmpty()) {
      ObjectNode exposed = body.putObject("ExposedPorts");
      ObjectNode bindings = host.putObject("PortBindings");
      for (ContainerSpec.PortSpec p : spec.ports()) {
        exposed.putObject(p.key());
        bindings.putArray(p.key()).addObject().put("HostIp", p.hostIp()).put("HostPort", Integer.toString(p.hostPort()));
      }
    }
    strings(body.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject(spec.primaryNetwork()).putArray("Aliases"),
        spec.networks().getOrDefault(spec.primaryNetwork(), List.of()));
    return body;
  }

  private void updateLimits(String id, Limits limits, String restartPolicy) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    putLimits(body, limits, true);
    if (restartPolicy != null) body.putObject("RestartPolicy").put("Name", restartPolicy);
    try {
      docker.update(id, body);
    } catch (DockerException e) {
      if (e.getMessage() == null || !e.getMessage().contains("Conflicting options")) throw e;
      // A CPU limit set as quota/period cannot be replaced by NanoCpus in place: lower it in the same form.
      ObjectNode quota = Yaml.JSON.createObjectNode();
      putLimits(quota, limits, false);
      quota.put("CpuPeriod", 100_000L).put("CpuQuota", limits.nanoCpus() / 10_000L);
      if (restartPolicy != null) quota.putObject("RestartPolicy").put("Name", restartPolicy);
      docker.update(id, quota);
    }
  }

  private static void putLimits(ObjectNode host, Limits limits, boolean nanoCpus) {
    // Memory and swap always travel together, so a lowered memory never leaves a larger swap behind.
    host.put("Memory", limits.memory()).put("MemorySwap", limits.memorySwap()).put("PidsLimit", limits.pidsLimit());
    if (nanoCpus) host.put("NanoCpus", limits.nanoCpus());
  }

  void ensureImage(String image) {
    if (docker.imagePresent(image)) return;
    try {
      log.info("pulling image {}", image);
      docker.pull(image);
    } catch (DockerException e) {
      if (e instanceof DockerException.Unavailable) throw e;
      throw new ImageUnavailable(image, e.getMessage());
    }
    if (!docker.imagePresent(image)) throw new ImageUnavailable(image, "the pull finished without it");
  }

  /**
   * Where the host's filesystem is visible, bind sources are created owned by the container's user (the daemon would
   * create them root-owned, which a non-root gateway cannot write to). Over TCP, or where the host's root is mounted
   * read-only (on-host mode in a container), the daemon creates them.
   */
  private void ensureHostDirectories(ContainerSpec spec) {
    if (hostFilesystem.isEmpty()) return;
    Path root = hostFilesystem.get();
    for (MountSpec m : spec.mounts()) {
      if (!m.bind() || m.source().equals(GatewayStack.DOCKER_SOCKET)) continue;
      // Through the host's own symlinks, never this process's (they differ in a container).
      Path dir = root.resolve(PathCanon.within(root).canonical(m.source()).substring(1));
      if (Files.exists(dir)) continue;
      try {
        Files.createDirectories(dir);
        if (spec.uid() != 0) {
          Files.setAttribute(dir, "unix:uid", spec.uid());
          Files.setAttribute(dir, "unix:gid", spec.gid());
        }
      } catch (IOException | UnsupportedOperationException e) {
        log.warn("could not create {} for {} ({}): the daemon creates it owned by root; create it on the host owned by {}:{} if {} writes there",
            m.source(), spec.name(), e.getMessage(), spec.uid(), spec.gid(), spec.name());
      }
    }
  }

  private static List<DockerApi.ArchiveFile> archive(List<FileSpec> files) {
    return files.stream().map(f -> new DockerApi.ArchiveFile(f.path(), f.directory() ? null : f.content(), f.mode(), f.uid(), f.gid())).toList();
  }

  private static void strings(ArrayNode array, List<String> values) { values.forEach(array::add); }
}
