package io.openclaw.operator.testing;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.controller.Controller;
import io.openclaw.operator.runtime.Operator;
import io.openclaw.operator.source.DirectorySource;
import io.openclaw.operator.status.FileStatusWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** An operator running in-process on a manifest directory, as `run DIR` would, against the real engine. */
public final class OperatorHarness implements AutoCloseable {
  public final Path manifests;
  public final Path stateDir;
  public final Operator operator;
  private final FileStatusWriter status;

  private OperatorHarness(Path manifests, Path stateDir, Operator operator) {
    this.manifests = manifests;
    this.stateDir = stateDir;
    this.operator = operator;
    this.status = new FileStatusWriter(stateDir);
  }

  public static OperatorHarness start(DockerHost docker, Path manifests, Path stateDir) throws Exception {
    return start(docker, manifests, stateDir, Duration.ofSeconds(60));
  }

  public static OperatorHarness start(DockerHost docker, Path manifests, Path stateDir, Duration watchdog) throws Exception {
    return start(docker, manifests, stateDir, watchdog, Controller.Options.STALL_AFTER);
  }

  /** {@code stallAfter}: how long a missing input is retried before the resource is reported Stalled. */
  public static OperatorHarness start(DockerHost docker, Path manifests, Path stateDir, Duration watchdog, Duration stallAfter) throws Exception {
    return start(docker, manifests, stateDir, watchdog, stallAfter, false);
  }

  /** As {@code run --prune DIR}: containers of resources no longer declared are removed, not only reported. */
  public static OperatorHarness startPruning(DockerHost docker, Path manifests, Path stateDir) throws Exception {
    return start(docker, manifests, stateDir, Duration.ofSeconds(60), Controller.Options.STALL_AFTER, true);
  }

  private static OperatorHarness start(DockerHost docker, Path manifests, Path stateDir, Duration watchdog, Duration stallAfter, boolean prune)
      throws Exception {
    DirectorySource source = new DirectorySource(manifests, stateDir, Duration.ofMillis(100));
    return new OperatorHarness(manifests, stateDir, Operator.start(source, docker.endpoint(),
        options("test-host", java.util.Map.of("zone", "test"), stateDir, stallAfter, prune), watchdog));
  }

  /** As `run DIR --admission-socket SOCKET` would, on the given engine. */
  public static OperatorHarness start(io.openclaw.operator.docker.DockerEndpoint endpoint, Path manifests, Path stateDir,
      Operator.AdmissionOptions admission) throws Exception {
    DirectorySource source = new DirectorySource(manifests, stateDir, Duration.ofMillis(100));
    return new OperatorHarness(manifests, stateDir, Operator.start(source, endpoint,
        options("test-host", java.util.Map.of("zone", "test"), stateDir), Duration.ofSeconds(60),
        io.openclaw.operator.controller.Recorder.EventSink.NONE, admission));
  }

  /** The options every in-process operator of the tests runs with: a five-minute resync, the host root at /. */
  public static Controller.Options options(String host, java.util.Map<String, String> labels, Path stateDir) {
    return options(host, labels, stateDir, Controller.Options.STALL_AFTER, false);
  }

  public static Controller.Options options(String host, java.util.Map<String, String> labels, Path stateDir, Duration stallAfter, boolean prune) {
    return new Controller.Options(host, labels, Duration.ofMinutes(5), 2, 4, Clock.systemUTC(), stateDir, Path.of("/"), prune, "test", stallAfter);
  }

  /** The status file of a resource, or a missing node. */
  public JsonNode status(ResourceKey key) {
    Path file = status.fileOf(key);
    try {
      return Files.exists(file) ? Yaml.MAPPER.readTree(Files.readString(file)).path("status") : Yaml.JSON.missingNode();
    } catch (java.io.IOException e) {
      return Yaml.JSON.missingNode();
    }
  }

  /** The status of one condition (True/False), or empty. */
  public String condition(ResourceKey key, String type) {
    for (JsonNode c : status(key).path("conditions")) {
      if (c.path("type").asString().equals(type)) return c.path("status").asString();
    }
    return "";
  }

  public String reason(ResourceKey key, String type) {
    for (JsonNode c : status(key).path("conditions")) {
      if (c.path("type").asString().equals(type)) return c.path("reason").asString() + ": " + c.path("message").asString();
    }
    return "";
  }

  public boolean ready(ResourceKey key) { return "True".equals(condition(key, "Ready")); }

  /** Ready, and for this generation of the spec (or a later one). */
  public boolean readyAt(ResourceKey key, long generation) {
    return ready(key) && status(key).path("observedGeneration").asLong(0) >= generation;
  }

  public void write(String file, String yaml) throws java.io.IOException {
    // Atomic, as editors save: the watcher sees one complete file.
    Path tmp = manifests.resolve("." + file + ".tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, manifests.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Whether the operator has taken in this manifest text for this resource: the store holds exactly its spec, and
   * the status has been written for that generation.
   */
  public boolean applied(ResourceKey key, String yaml) {
    java.nio.file.Path file;
    try {
      file = java.nio.file.Files.createTempFile("expected", ".yaml");
      java.nio.file.Files.writeString(file, yaml);
      var loaded = io.openclaw.operator.source.ManifestLoader.load(java.util.List.of(file));
      java.nio.file.Files.delete(file);
      var expected = loaded.manifests().stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow().resource();
      var entry = operator.store().entry(key).orElse(null);
      if (entry == null || entry.inForce() == null) return false;
      Object spec = ((io.fabric8.kubernetes.client.CustomResource<?, ?>) entry.inForce().resource()).getSpec();
      Object wanted = ((io.fabric8.kubernetes.client.CustomResource<?, ?>) expected).getSpec();
      return spec.equals(wanted) && status(key).path("observedGeneration").asLong(0) >= entry.generation();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception { operator.close(); }
}
