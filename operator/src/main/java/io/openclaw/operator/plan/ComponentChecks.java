package io.openclaw.operator.plan;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.render.ModelRouting;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.plan.rules.ContainerChecks;
import io.openclaw.operator.plan.rules.PathCanon;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The checks behind the component rules: one of the operator's own containers against its spec. Pure. */
public final class ComponentChecks {
  private ComponentChecks() {}

  /** Whether the container was made from this very spec (its hash label); anything else is an older spec. */
  public static boolean current(ContainerSpec spec, ContainerView live) { return spec.specHash().equals(live.label(Labels.SPEC_HASH)); }

  /** Breaches no spec allows: every component drops every capability, has no-new-privileges, shares nothing. */
  public static List<String> breaches(ContainerView live, HostCapabilities host) {
    List<String> out = new ArrayList<>();
    ContainerChecks.privileged(live).ifPresent(out::add);
    ContainerChecks.capabilities(live, List.of("ALL")).ifPresent(out::add);
    ContainerChecks.noNewPrivileges(live).ifPresent(out::add);
    ContainerChecks.hostNamespaces(live, host.cgroupnsHostByDefault()).ifPresent(out::add);
    ContainerChecks.unconfined(live).ifPresent(out::add);
    ContainerChecks.devices(live).ifPresent(out::add);
    return out;
  }

  /**
   * Fields that cannot be changed in place and that decide what the component may do. The labels (and their hash)
   * can be forged by anyone who may create containers, so the settings themselves are read back: the socket proxy's
   * grants and the gateway's DOCKER_HOST and proxies live in its environment and command.
   */
  public static List<String> drift(ContainerSpec spec, ContainerView live) {
    List<String> out = new ArrayList<>();
    if (!live.networkMode().equals(spec.primaryNetwork())) out.add("network mode " + live.networkMode() + " instead of " + spec.primaryNetwork());
    if (!mountsMatch(spec, live)) out.add("mounts differ from the spec");
    if (!portsMatch(spec, live)) out.add("published ports " + live.publishedPorts() + " differ from the spec");
    if (!live.image().equals(spec.image())) out.add("image " + live.image() + " instead of " + spec.image());
    // Without a user in the spec the image's default applies, which inspect reports as the container's own.
    if (spec.user() != null && !spec.user().isEmpty() && !live.user().equals(spec.user())) {
      out.add("user \"" + live.user() + "\" instead of \"" + spec.user() + "\"");
    }
    List<String> envDrift = envDrift(spec.env(), live.env());
    if (!envDrift.isEmpty()) out.add("environment differs from the spec for " + String.join(", ", envDrift));
    if (!spec.entrypoint().isEmpty() || !spec.command().isEmpty()) {
      List<String> wanted = new ArrayList<>(spec.entrypoint());
      wanted.addAll(spec.command());
      if (!spec.entrypoint().isEmpty() ? !live.command().equals(wanted) : !endsWith(live.command(), spec.command())) {
        out.add("command differs from the spec");
      }
    }
    return out;
  }

  /** Networks the container is on that its spec does not name. */
  public static List<String> foreignNetworks(ContainerSpec spec, ContainerView live) {
    return live.networks().keySet().stream().filter(n -> !spec.networks().containsKey(n)).sorted().toList();
  }

  /** Networks of the spec the container is not on, or is on without its aliases. */
  public static List<String> missingNetworks(ContainerSpec spec, ContainerView live) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> wanted : spec.networks().entrySet()) {
      List<String> aliases = live.networks().get(wanted.getKey());
      if (aliases == null) out.add(wanted.getKey());
      else if (!aliases.containsAll(wanted.getValue())) out.add(wanted.getKey() + " (without its alias)");
    }
    return out;
  }

  public static Optional<String> limits(ContainerSpec spec, ContainerView live) {
    Limits limits = spec.limits();
    boolean limitsDiffer = live.memory() != limits.memory() || live.memorySwap() != limits.memorySwap()
        || live.effectiveNanoCpus() != limits.nanoCpus() || live.pidsLimit() != limits.pidsLimit();
    if (limitsDiffer) {
      return Optional.of(spec.name() + " has memory " + live.memory() + "/" + live.memorySwap() + ", nanoCPUs " + live.effectiveNanoCpus()
          + ", pids " + live.pidsLimit() + " instead of " + limits);
    }
    if (!ContainerSpec.RESTART_POLICY.equals(live.restartPolicy())) return Optional.of(spec.name() + " has restart policy \"" + live.restartPolicy() + "\"");
    return Optional.empty();
  }

  /** Paths of the spec's files whose live content differs; none when the files were not read (not running). */
  public static List<String> changedFiles(ContainerSpec spec, Map<String, byte[]> liveFiles) {
    if (liveFiles == null) return List.of();
    return spec.files().stream().filter(f -> !f.directory()).filter(f -> !fileMatches(f, liveFiles.get(f.path()))).map(FileSpec::path).toList();
  }

  /**
   * Where the live openclaw.json of a gateway whose rendered config routes every model call through the model proxy
   * reaches a provider some other way (a provider added, a key written in, a provider variable in env.vars); nothing
   * when the file was not read, or the spec declares no model proxy.
   */
  public static List<String> directModelRoutes(ContainerSpec spec, Map<String, byte[]> liveFiles) {
    Optional<String> proxy = modelProxyUrl(spec);
    if (proxy.isEmpty() || liveFiles == null) return List.of();
    byte[] live = liveFiles.get(OpenClawConfig.PATH);
    if (live == null) return List.of();
    try {
      return ModelRouting.directRoutes(OpenClawConfig.parseBase(live), proxy.get(), List.of());
    } catch (RuntimeException e) {
      return List.of(); // not JSON: component.files delivers it again
    }
  }

  /** The model proxy's URL the spec's openclaw.json names, when the gateway's models go through it. */
  public static Optional<String> modelProxyUrl(ContainerSpec spec) {
    return spec.files().stream().filter(f -> f.path().equals(OpenClawConfig.PATH) && f.content() != null).findFirst().flatMap(f -> {
      try {
        JsonNode baseUrl = io.openclaw.operator.api.Yaml.JSON.readTree(f.content()).path("models").path("providers").path(ModelRouting.PROVIDER).path("baseUrl");
        return baseUrl.isString() ? Optional.of(baseUrl.asString()) : Optional.empty();
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  /** Names of the spec's variables that the live container lacks or sets to another value (values never shown). */
  static List<String> envDrift(List<String> wanted, List<String> live) {
    Map<String, String> have = new HashMap<>();
    for (String kv : live) {
      int eq = kv.indexOf('=');
      if (eq > 0) have.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    List<String> out = new ArrayList<>();
    for (String kv : wanted) {
      int eq = kv.indexOf('=');
      if (!kv.substring(eq + 1).equals(have.get(kv.substring(0, eq)))) out.add(kv.substring(0, eq));
    }
    return out;
  }

  private static boolean endsWith(List<String> list, List<String> tail) {
    return list.size() >= tail.size() && list.subList(list.size() - tail.size(), list.size()).equals(tail);
  }

  static boolean mountsMatch(ContainerSpec spec, ContainerView live) {
    Set<String> wanted = new HashSet<>();
    for (MountSpec m : spec.mounts()) {
      wanted.add((m.bind() ? PathCanon.LEXICAL.canonical(m.source()) : m.source()) + "->" + m.target() + (m.readOnly() ? ":ro" : ":rw"));
    }
    Set<String> have = new HashSet<>();
    for (ContainerView.MountView m : live.mounts()) {
      boolean volume = m.type().equals("volume");
      // Anonymous volumes the image declares (VOLUME /data) come with the image, not with the spec.
      if (volume && live.imageVolumes().contains(m.destination()) && spec.mounts().stream().noneMatch(s -> s.target().equals(m.destination()))) continue;
      String source = volume ? m.name() : PathCanon.LEXICAL.canonical(m.source());
      have.add(source + "->" + m.destination() + (m.readWrite() ? ":rw" : ":ro"));
    }
    return wanted.equals(have);
  }

  static boolean portsMatch(ContainerSpec spec, ContainerView live) {
    Set<String> wanted = new HashSet<>();
    for (ContainerSpec.PortSpec p : spec.ports()) wanted.add(p.hostIp() + ":" + p.hostPort() + "->" + p.key());
    return wanted.equals(new HashSet<>(live.publishedPorts())) && !live.publishAllPorts();
  }

  static boolean fileMatches(FileSpec desired, byte[] live) {
    if (live == null) return false;
    if (desired.semantic()) return OpenClawConfig.satisfies(live, new String(desired.content(), java.nio.charset.StandardCharsets.UTF_8));
    return Arrays.equals(desired.content(), live);
  }
}
