package io.openclaw.operator.audit;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The daemon's no-new-privileges default, read where it is decided and never guessed (docker info does not show it):
 * dockerd's arguments and its daemon.json when the host's filesystem is visible; otherwise the NoNewPrivs line of
 * PID 1 in a running container that was created without the option.
 */
final class DaemonDefaults {
  private static final Pattern NO_NEW_PRIVS = Pattern.compile("(?m)^NoNewPrivs:\\s*([01])");
  static final String DEFAULT_CONFIG = "/etc/docker/daemon.json";

  private DaemonDefaults() {}

  /** True, false, or null when it could not be read; with where the answer came from. */
  record Default(Boolean noNewPrivileges, String evidence) {
    boolean on() { return Boolean.TRUE.equals(noNewPrivileges); }
  }

  /** {@code sandboxes}: ids never to exec into (an exec there is activity that would reset a sandbox's idle time). */
  static Default probe(DockerApi docker, HostFiles files, String filesUnavailable, HostSnapshot host, java.util.Set<String> sandboxes) {
    String why = filesUnavailable;
    if (files != null) {
      Optional<Dockerd> dockerd = dockerd(files);
      String configPath = dockerd.flatMap(d -> flagValue(d.args, "--config-file")).orElse(DEFAULT_CONFIG);
      Optional<Boolean> fromFile = configValue(files, configPath);
      if (dockerd.isPresent()) {
        Optional<String> flag = flagValue(dockerd.get().args, "--no-new-privileges");
        if (flag.isPresent() && !flag.get().equals("false")) return new Default(true, "dockerd (pid " + dockerd.get().pid + ") runs with --no-new-privileges");
        if (fromFile.orElse(false)) return new Default(true, files.show(configPath) + " sets \"no-new-privileges\": true");
        return new Default(false, "dockerd (pid " + dockerd.get().pid + ") runs without --no-new-privileges and " + files.show(configPath)
            + (files.exists(configPath) ? " does not set \"no-new-privileges\": true" : " does not exist"));
      }
      if (fromFile.orElse(false)) return new Default(true, files.show(configPath) + " sets \"no-new-privileges\": true");
      why = "dockerd's process is not visible under " + files.root() + (files.exists(configPath) ? " and " + files.show(configPath)
          + " does not set it (a flag could)" : " and there is no " + files.show(configPath));
    }
    return fromContainer(docker, host, sandboxes, why);
  }

  record Dockerd(long pid, List<String> args) {}

  /** dockerd's arguments: the pid file first, else a scan of /proc for a process named dockerd. */
  static Optional<Dockerd> dockerd(HostFiles files) {
    List<Long> candidates = new ArrayList<>();
    for (String pidFile : List.of("/var/run/docker.pid", "/run/docker.pid")) {
      files.readQuietly(pidFile).map(String::trim).filter(s -> s.matches("[0-9]+")).map(Long::parseLong).ifPresent(candidates::add);
    }
    Path proc = files.path("/proc");
    if (Files.isDirectory(proc)) {
      try (Stream<Path> entries = Files.list(proc)) {
        entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+")).map(Long::parseLong).sorted().forEach(candidates::add);
      } catch (java.io.IOException | RuntimeException e) {
        // /proc not listable: only the pid files count
      }
    }
    for (long pid : candidates) {
      String comm = files.readQuietly("/proc/" + pid + "/comm").map(String::trim).orElse("");
      if (!comm.equals("dockerd")) continue;
      Optional<String> cmdline = files.readQuietly("/proc/" + pid + "/cmdline");
      if (cmdline.isPresent()) return Optional.of(new Dockerd(pid, Arrays.asList(cmdline.get().split("\0"))));
    }
    return Optional.empty();
  }

  private static final java.util.Set<String> BOOLEAN_FLAGS = java.util.Set.of("--no-new-privileges", "--live-restore", "--icc");

  /** A flag's value: "--flag=value", "--flag value", or "true" for a bare boolean flag. */
  static Optional<String> flagValue(List<String> args, String flag) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith(flag + "=")) return Optional.of(a.substring(flag.length() + 1));
      if (a.equals(flag)) {
        boolean booleanFlag = BOOLEAN_FLAGS.contains(flag);
        if (booleanFlag) return Optional.of("true");
        return i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<Boolean> configValue(HostFiles files, String path) {
    return files.readQuietly(path).flatMap(text -> {
      try {
        JsonNode n = Yaml.JSON.readTree(text).path("no-new-privileges");
        return n.isBoolean() ? Optional.of(n.asBoolean()) : Optional.of(false);
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  /** A process started without the option shows the daemon's default in its NoNewPrivs line. */
  private static Default fromContainer(DockerApi docker, HostSnapshot host, java.util.Set<String> sandboxes, String why) {
    List<ContainerView> candidates = host.allContainers().stream().filter(c -> c.state().equals("running") && !c.hasNoNewPrivileges())
        .filter(c -> !sandboxes.contains(c.id()) && !"1".equals(c.label(Labels.SANDBOX))).sorted(Comparator.comparing(ContainerView::name)).limit(3).toList();
    for (ContainerView c : candidates) {
      try {
        DockerApi.ExecResult r = docker.exec(c.id(), List.of("cat", "/proc/1/status"));
        Matcher m = NO_NEW_PRIVS.matcher(r.output());
        if (r.exitCode() == 0 && m.find()) {
          return new Default(m.group(1).equals("1"), "NoNewPrivs " + m.group(1) + " for PID 1 of " + c.name() + ", created without the option"
              + (why == null ? "" : " (" + why + ")"));
        }
      } catch (RuntimeException e) {
        // no cat in that image, or it stopped: try the next
      }
    }
    return new Default(null, (why == null ? "" : why + "; ") + (candidates.isEmpty()
        ? "no running container created without the option to read NoNewPrivs from" : "NoNewPrivs could not be read in " + candidates.size() + " container(s)"));
  }
}
