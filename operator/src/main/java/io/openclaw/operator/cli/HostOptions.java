package io.openclaw.operator.cli;

import io.openclaw.operator.docker.DockerApi;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** This instance's Docker host: its name (default the daemon's), labels, and where it keeps state. */
final class HostOptions {
  @Option(names = "--host-name", paramLabel = "NAME", description = "This Docker host's name in status (default: the daemon's name).")
  String hostName;

  @Option(names = "--host-label", paramLabel = "KEY=VALUE", description = "A label of this host, matched by spec.hostSelector; repeatable.")
  Map<String, String> hostLabels = new LinkedHashMap<>();

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where status and state go in manifest-directory mode (default $XDG_STATE_HOME/openclaw-docker-operator or ~/.local/state/openclaw-docker-operator).")
  Path stateDir;

  @Option(names = "--host-root", paramLabel = "DIR",
      description = "Where the Docker host's root filesystem is visible, for path checks and the daemon's settings (default / when DOCKER_HOST is a unix socket; e.g. /host in a container).")
  Path hostRoot;

  /** The Docker host's filesystem as seen from here, or null when it is out of sight (a remote daemon and no --host-root). */
  Path hostRoot(io.openclaw.operator.docker.DockerEndpoint endpoint) {
    if (hostRoot != null) {
      if (!java.nio.file.Files.isDirectory(hostRoot)) throw new IllegalArgumentException("--host-root " + hostRoot + " is not a directory");
      return hostRoot;
    }
    return endpoint.local() ? Path.of("/") : null;
  }

  Path stateDir() {
    if (stateDir != null) return stateDir;
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("openclaw-docker-operator");
  }

  String resolveName(DockerApi docker) {
    if (hostName != null && !hostName.isEmpty()) return hostName;
    try {
      String name = docker.info().path("Name").asString("");
      if (!name.isEmpty()) return name;
    } catch (RuntimeException e) {
      // the daemon is not reachable yet: fall back to this machine's name
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "docker-host";
    }
  }
}
