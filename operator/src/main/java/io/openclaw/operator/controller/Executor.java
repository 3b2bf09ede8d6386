package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.ContainerSpec;
import io.openclaw.operator.plan.FileSpec;
import io.openclaw.operator.plan.Limits;
import io.openclaw.operator.plan.MountSpec;
import io.openclaw.operator.plan.NetworkSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries out planned actions with the Docker API and decides nothing: every choice (what, in which form, kill or
 * stop) is in the action. Idempotent where the daemon allows it: already-gone, already-stopped and already-connected
 * answers count as done. Every container it creates is recorded as the operator's own the moment its id is known.
 */
public final class Executor implements Effector {
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
  private final Ownership ownership;
  private final Path hostRoot;
  /** Told the files written into each container it creates, before the start: the verifying pass need not read them back. */
  private final BiConsumer<String, Map<String, byte[]>> deliveredBeforeStart;

  /** {@code hostRoot}: where the Docker host's filesystem is seen ("/" on the host itself, e.g. /host in a container). */
  public Executor(DockerApi docker, Ownership ownership, Path hostRoot, BiConsumer<String, Map<String, byte[]>> deliveredBeforeStart) {
    this.docker = docker;
    this.ownership = ownership;
    this.hostRoot = hostRoot;
    this.deliveredBeforeStart = deliveredBeforeStart;
  }

  @Override
  public void apply(ResourceKey owner, Action action) {
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
    } else if (action instanceof Action.CreateHostDirectory a) {
      createHostDirectory(a);
    } else if (action instanceof Action.CreateContainer a) {
      create(owner, a.spec());
    } else if (action instanceof Action.RecreateContainer a) {
      // The image is checked (and pulled) before the old container is touched: a bad image tears nothing down.
      ensureImage(a.spec().image());
      if (!a.kill()) docker.stop(a.id(), STOP_TIMEOUT_SECONDS);
      docker.remove(a.id(), true);
      ownership.forget(a.id());
      create(owner, a.spec());
    } else if (action instanceof Action.StartContainer a) {
      docker.start(a.id());
    } else if (action instanceof Action.UnpauseContainer a) {
      docker.unpause(a.id());
    } else if (action instanceof Action.RemoveContainer a) {
      // A breach: a forced remove is SIGKILL then removal inside the daemon, in one call, so the process dies a
      // round trip sooner than with a separate kill; a container not yet started is removed before it can start.
      if (!a.kill()) docker.stop(a.id(), STOP_TIMEOUT_SECONDS);
      docker.remove(a.id(), true);
      ownership.forget(a.id());
    } else if (action instanceof Action.KillContainer a) {
      docker.kill(a.id());
    } else if (action instanceof Action.UpdateLimits a) {
      docker.update(a.id(), updateBody(a));
    } else if (action instanceof Action.ConnectNetwork a) {
      connect(a.network(), a.containerId(), a.aliases());
    } else if (action instanceof Action.DisconnectNetwork a) {
      docker.disconnect(a.network(), a.containerId());
    } else if (action instanceof Action.DeliverFiles a) {
      docker.putFiles(a.id(), archive(a.files()));
      if (a.restart()) docker.restart(a.id(), STOP_TIMEOUT_SECONDS);
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
  private void create(ResourceKey owner, ContainerSpec spec) {
    ensureImage(spec.image());
    String nonce = ownership.beginCreate(owner, spec.name());
    String id;
    try {
      id = docker.createContainer(spec.name(), createBody(spec, nonce));
    } catch (DockerException e) {
      // Unreachable: the create may have happened, the nonce finds it. Refused: it did not.
      if (!(e instanceof DockerException.Unavailable)) ownership.abandon(nonce);
      throw e;
    }
    ownership.created(owner, spec.name(), id, nonce);
    if (!spec.files().isEmpty()) docker.putFiles(id, archive(spec.files()));
    for (Map.Entry<String, List<String>> network : spec.networks().entrySet()) {
      if (!network.getKey().equals(spec.primaryNetwork())) connect(network.getKey(), id, network.getValue());
    }
    Map<String, byte[]> files = new HashMap<>();
    spec.files().stream().filter(f -> !f.directory()).forEach(f -> files.put(f.path(), f.content()));
    if (!files.isEmpty()) deliveredBeforeStart.accept(id, files);
    docker.start(id);
  }

  private void connect(String network, String container, List<String> aliases) {
    try {
      docker.connect(network, container, aliases);
    } catch (DockerException e) {
      if (!String.valueOf(e.getMessage()).contains("already exists")) throw e;
    }
  }

  static ObjectNode createBody(ContainerSpec spec, String creationNonce) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("Image", spec.image());
    if (spec.user() != null && !spec.user().isEmpty()) body.put("User", spec.user());
    strings(body.putArray("Env"), spec.env());
    if (!spec.entrypoint().isEmpty()) strings(body.putArray("Entrypoint"), spec.entrypoint());
    if (!spec.command().isEmpty()) strings(body.putArray("Cmd"), spec.command());
    Map<String, String> labels = new TreeMap<>(spec.labelsWithHash());
    labels.put(Ownership.CREATION_LABEL, creationNonce);
    body.set("Labels", Yaml.JSON.valueToTree(labels));
    ObjectNode host = body.putObject("HostConfig");
    host.putArray("CapDrop").add("ALL");
    host.putArray("SecurityOpt").add("no-new-privileges");
    host.put("Privileged", false);
    putLimits(host, spec.limits());
    host.put("NanoCpus", spec.limits().nanoCpus());
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

  /** The update body; a CPU limit set as quota/period cannot be replaced by NanoCpus in place, so it keeps that form. */
  static ObjectNode updateBody(Action.UpdateLimits a) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    putLimits(body, a.limits());
    if (a.cpuAsQuota()) body.put("CpuPeriod", 100_000L).put("CpuQuota", a.limits().nanoCpus() / 10_000L);
    else body.put("NanoCpus", a.limits().nanoCpus());
    if (a.restartPolicy() != null) body.putObject("RestartPolicy").put("Name", a.restartPolicy());
    return body;
  }

  private static void putLimits(ObjectNode host, Limits limits) {
    // Memory and swap always travel together, so a lowered memory never leaves a larger swap behind.
    host.put("Memory", limits.memory()).put("MemorySwap", limits.memorySwap()).put("PidsLimit", limits.pidsLimit());
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

  private void createHostDirectory(Action.CreateHostDirectory a) {
    Path dir = hostRoot.resolve(Path.of("/").relativize(Path.of(a.path())));
    try {
      Files.createDirectories(dir);
      if (a.uid() != 0) {
        Files.setAttribute(dir, "unix:uid", a.uid());
        Files.setAttribute(dir, "unix:gid", a.gid());
      }
    } catch (java.nio.file.FileSystemException e) {
      // A read-only host root (the operator's image mounts / read-only at /host) or no right to chown: the daemon
      // creates a missing bind source itself, owned by root, when the container is created.
      log.warn("cannot create {} for {} ({}): the Docker daemon creates it, owned by root; if {} writes there, create it"
          + " beforehand: sudo install -d -o {} -g {} {}", dir, a.forContainer(), e.getReason() != null ? e.getReason() : e.getClass().getSimpleName(),
          a.forContainer(), a.uid(), a.gid(), a.path());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + " for " + a.forContainer(), e);
    }
  }

  private static List<DockerApi.ArchiveFile> archive(List<FileSpec> files) {
    return files.stream().map(f -> new DockerApi.ArchiveFile(f.path(), f.directory() ? null : f.content(), f.mode(), f.uid(), f.gid())).toList();
  }

  private static void strings(ArrayNode array, List<String> values) { values.forEach(array::add); }
}
