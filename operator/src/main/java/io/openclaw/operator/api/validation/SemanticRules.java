package io.openclaw.operator.api.validation;

import io.openclaw.operator.api.DomainRules;
import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.EgressAllowlistSpec;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.GatewayDeploymentSpec.Networks;
import io.openclaw.operator.api.HostPaths;
import io.openclaw.operator.api.LabelSelector;
import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Resources;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.api.SecretMount;
import io.openclaw.operator.api.SocketProxyGrant;
import io.openclaw.operator.api.Volume;
import io.openclaw.operator.api.WorkspaceFile;
import io.openclaw.operator.plan.render.ModelRouting;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the schema cannot say: references between resources, conflicts, the CRD's CEL rules (re-checked
 * because a 1.20 server drops them), egress domain rules and the security rules of the API.
 */
public final class SemanticRules {
  /** The CEL messages in the CRDs, repeated word for word. */
  public static final String SECRET_SOURCE = "set exactly one of secretRef and file";
  public static final String NETWORKS_DIFFER = "network names must differ";
  public static final String FORBIDDEN_GRANT = "socketProxy.allow must not contain BUILD, SECRETS or SWARM";
  public static final String HOST_NETWORK = "network must not be host: a sandbox must never share the host's network";
  /** Docker refuses smaller memory limits. */
  static final long MIN_MEMORY = 6L << 20;

  private SemanticRules() {}

  /**
   * Checks a complete set; {@code checkFiles} is false where files are not on this machine (a cluster).
   * {@code invalid} are resources that are declared but failed the schema: references to them are not reported
   * again as references to nothing.
   */
  public static List<Problem> check(List<Manifest> manifests, Set<ResourceKey> invalid, boolean checkFiles) {
    List<Problem> out = new ArrayList<>();
    Map<ResourceKey, Manifest> byKey = new HashMap<>();
    for (Manifest m : manifests) {
      Manifest first = byKey.putIfAbsent(m.key(), m);
      if (first != null) {
        out.add(m.problem("metadata.name", "defined twice; also at " + where(first)));
      }
    }
    for (Manifest m : manifests) {
      switch (m.key().kind()) {
        case "GatewayDeployment" -> gateway(m, byKey, invalid, checkFiles, out);
        case "SandboxPolicy" -> sandboxPolicy(m, byKey, invalid, out);
        case "EgressAllowlist" -> egressAllowlist(m, out);
        default -> { }
      }
    }
    conflicts(manifests, out);
    return out;
  }

  private static void gateway(Manifest m, Map<ResourceKey, Manifest> byKey, Set<ResourceKey> invalid, boolean checkFiles, List<Problem> out) {
    GatewayDeploymentSpec spec = m.as(GatewayDeployment.class).getSpec();
    Networks n = spec.networks();
    if (Objects.equals(n.internal(), n.egress()) || Objects.equals(n.internal(), n.ingress()) || Objects.equals(n.egress(), n.ingress())) {
      out.add(m.problem("spec.networks", NETWORKS_DIFFER));
    }
    ResourceKey allowlist = new ResourceKey("EgressAllowlist", m.key().namespace(), spec.egressProxy().allowlistRef().name());
    if (!byKey.containsKey(allowlist) && !invalid.contains(allowlist)) {
      out.add(m.problem("spec.egressProxy.allowlistRef.name", "no EgressAllowlist \"" + allowlist.name() + "\" in namespace \""
          + allowlist.namespace() + "\""));
    }
    List<SocketProxyGrant> allow = spec.socketProxy().allow();
    for (int i = 0; i < allow.size(); i++) {
      if (SocketProxyGrant.FORBIDDEN.contains(allow.get(i))) out.add(m.problem("spec.socketProxy.allow[" + i + "]", FORBIDDEN_GRANT));
    }
    String stateDir = spec.gateway().stateDir();
    resources(m, "spec.gateway.resources", spec.gateway().resources(), out);
    resources(m, "spec.socketProxy.resources", spec.socketProxy().resources(), out);
    resources(m, "spec.egressProxy.resources", spec.egressProxy().resources(), out);
    env(m, "spec.gateway.env", spec.gateway().env(), out);
    secrets(m, "spec.gateway.secrets", spec.gateway().secrets(), stateDir, checkFiles, out);
    volumes(m, "spec.gateway.volumes", spec.gateway().volumes(), stateDir, out);
    if (spec.gateway().configFrom() != null) {
      var source = spec.gateway().configFrom();
      if ((source.secretRef() == null) == (source.file() == null)) out.add(m.problem("spec.gateway.configFrom", SECRET_SOURCE));
      else if (checkFiles && source.file() != null) readableFile(m, "spec.gateway.configFrom.file", source.file(), out);
    }
    if (spec.modelProxy() != null) {
      resources(m, "spec.modelProxy.resources", spec.modelProxy().resources(), out);
      env(m, "spec.modelProxy.env", spec.modelProxy().env(), out);
      secrets(m, "spec.modelProxy.secrets", spec.modelProxy().secrets(), null, checkFiles, out);
      var key = spec.modelProxy().gatewayKey();
      if (key != null) {
        if ((key.secretRef() == null) == (key.file() == null)) out.add(m.problem("spec.modelProxy.gatewayKey", SECRET_SOURCE));
        else if (checkFiles && key.file() != null) readableFile(m, "spec.modelProxy.gatewayKey.file", key.file(), out);
        List<SecretMount> gatewaySecrets = spec.gateway().secrets() == null ? List.of() : spec.gateway().secrets();
        for (int i = 0; i < gatewaySecrets.size(); i++) {
          if (HostPaths.lexical(gatewaySecrets.get(i).mountPath()).equals(ModelRouting.KEY_PATH)) {
            out.add(m.problem("spec.gateway.secrets[" + i + "].mountPath", "is where the operator writes spec.modelProxy.gatewayKey; choose another path"));
          }
        }
      }
      if (spec.modelProxy().models() == null || spec.modelProxy().models().isEmpty()) {
        out.add(m.warning("spec.modelProxy.models", "is empty: the gateway's model catalog is the model proxy's alone (models.mode: replace),"
            + " so it has no model to use; list the model proxy's model names"));
      }
    }
    ModelRules.gateway(m, spec, policyOf(m, byKey), allowlistOf(m, byKey), checkFiles, out);
    workspaceFiles(m, spec.gateway().workspaceFiles(), checkFiles, out);
    if (spec.hostHardening() != null) hostHardening(m, spec.hostHardening(), checkFiles, out);
    if (spec.cache() != null) resources(m, "spec.cache.resources", spec.cache().resources(), out);
    if (spec.ingressProxy() != null) {
      resources(m, "spec.ingressProxy.resources", spec.ingressProxy().resources(), out);
      var ports = spec.ingressProxy().ports() == null ? List.<io.openclaw.operator.api.PortMapping>of() : spec.ingressProxy().ports();
      Set<String> published = new HashSet<>();
      for (int i = 0; i < ports.size(); i++) {
        var p = ports.get(i);
        String path = "spec.ingressProxy.ports[" + i + "]";
        if (!isIpAddress(p.hostIP())) out.add(m.problem(path + ".hostIP", "must be an IP address (got \"" + p.hostIP() + "\")"));
        if (!published.add(p.hostIP() + ":" + p.hostPort() + "/" + p.protocol())) {
          out.add(m.problem(path + ".hostPort", "host port " + p.hostPort() + " is published twice"));
        }
      }
    }
  }

  private static SandboxPolicySpec policyOf(Manifest gateway, Map<ResourceKey, Manifest> byKey) {
    for (Manifest x : byKey.values()) {
      if (x.resource() instanceof SandboxPolicy p && x.key().namespace().equals(gateway.key().namespace())
          && p.getSpec().gatewayRef().name().equals(gateway.key().name())) {
        return p.getSpec();
      }
    }
    return null;
  }

  private static EgressAllowlistSpec allowlistOf(Manifest gateway, Map<ResourceKey, Manifest> byKey) {
    String name = gateway.as(GatewayDeployment.class).getSpec().egressProxy().allowlistRef().name();
    Manifest a = byKey.get(new ResourceKey("EgressAllowlist", gateway.key().namespace(), name));
    return a != null && a.resource() instanceof EgressAllowlist e ? e.getSpec() : null;
  }

  private static void workspaceFiles(Manifest m, List<WorkspaceFile> files, boolean checkFiles, List<Problem> out) {
    if (files == null) return;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < files.size(); i++) {
      WorkspaceFile w = files.get(i);
      String at = "spec.gateway.workspaceFiles[" + i + "]";
      if (w.sources() != 1) out.add(m.problem(at, WorkspaceFile.ONE_SOURCE));
      else if (checkFiles && w.file() != null) readableFile(m, at + ".file", w.file(), out);
      if (!names.add(w.name())) out.add(m.problem(at + ".name", "file name \"" + w.name() + "\" is used twice"));
    }
  }

  private static void hostHardening(Manifest m, GatewayDeploymentSpec.HostHardening h, boolean checkFiles, List<Problem> out) {
    List<Integer> allowed = h.allowedInboundPorts() == null ? List.of() : h.allowedInboundPorts();
    if (h.sshPort() != null && !allowed.contains(h.sshPort())) {
      out.add(m.warning("spec.hostHardening.allowedInboundPorts", "does not contain sshPort " + h.sshPort() + ": with UFW as expected, SSH is shut"));
    }
    List<Integer> cloudflare = h.cloudflarePorts() == null ? List.of() : h.cloudflarePorts();
    for (int i = 0; i < cloudflare.size(); i++) {
      if (!allowed.contains(cloudflare.get(i))) {
        out.add(m.warning("spec.hostHardening.cloudflarePorts[" + i + "]", "port " + cloudflare.get(i) + " is not in allowedInboundPorts"));
      }
    }
    if (checkFiles && h.cloudflareRangesFile() != null) {
      Path file = m.resolvable(h.cloudflareRangesFile()).orElse(null);
      if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
        out.add(m.problem("spec.hostHardening.cloudflareRangesFile", "file not found or not readable: " + (file == null ? h.cloudflareRangesFile() : file)));
      } else {
        try {
          List<String> bad = new ArrayList<>();
          for (String line : Files.readAllLines(file)) {
            String range = line.replaceAll("#.*", "").strip();
            if (!range.isEmpty() && !isCidr(range)) bad.add(range);
          }
          if (!bad.isEmpty()) out.add(m.problem("spec.hostHardening.cloudflareRangesFile", "not CIDR ranges: " + String.join(", ", bad)));
        } catch (java.io.IOException e) {
          out.add(m.problem("spec.hostHardening.cloudflareRangesFile", "cannot be read: " + e.getClass().getSimpleName()));
        }
      }
    }
  }

  private static void sandboxPolicy(Manifest m, Map<ResourceKey, Manifest> byKey, Set<ResourceKey> invalid, List<Problem> out) {
    SandboxPolicySpec spec = m.as(SandboxPolicy.class).getSpec();
    ResourceKey gateway = new ResourceKey("GatewayDeployment", m.key().namespace(), spec.gatewayRef().name());
    if (!byKey.containsKey(gateway) && !invalid.contains(gateway)) {
      out.add(m.problem("spec.gatewayRef.name", "no GatewayDeployment \"" + gateway.name() + "\" in namespace \"" + gateway.namespace() + "\""));
    }
    if ("host".equals(spec.network())) out.add(m.problem("spec.network", HOST_NETWORK));
    if (!spec.capDrop().contains("ALL")) {
      out.add(m.problem("spec.capDrop", "must contain ALL: a sandbox keeps no capability (got " + spec.capDrop() + ")"));
    }
    resources(m, "spec.resources", spec.resources(), out);
    if (spec.selector().matchLabels() == null || spec.selector().matchLabels().isEmpty()) {
      out.add(m.problem("spec.selector.matchLabels", "must name at least one label: an empty selector would treat every container as a sandbox"));
    }
  }

  private static void egressAllowlist(Manifest m, List<Problem> out) {
    EgressAllowlistSpec spec = m.as(EgressAllowlist.class).getSpec();
    for (DomainRules.Finding f : DomainRules.checkAll(spec.domains())) {
      out.add(m.problem("spec.domains[" + f.index() + "]", f.message() + " (got \"" + spec.domains().get(f.index()) + "\")"));
    }
    DomainRules.sizeWarning(spec.domains()).ifPresent(w -> out.add(m.warning("spec.domains", w)));
    List<String> model = spec.modelDomains() == null ? List.of() : spec.modelDomains();
    for (DomainRules.Finding f : DomainRules.checkAll(model)) {
      out.add(m.problem("spec.modelDomains[" + f.index() + "]", f.message() + " (got \"" + model.get(f.index()) + "\")"));
    }
    for (int i = 0; i < model.size(); i++) {
      String d = model.get(i);
      if (spec.domains().contains(d) || (!d.startsWith("*.") && DomainRules.allows(spec.domains(), d))) {
        out.add(m.warning("spec.modelDomains[" + i + "]", d + " is also allowed by domains, so the gateway reaches it too"));
      }
    }
    cidrs(m, "spec.denyRanges", spec.denyRanges(), out);
    cidrs(m, "spec.allowRanges", spec.allowRanges(), out);
    DomainRules.allowRangesWarning(spec.allowRanges()).ifPresent(w -> out.add(m.warning("spec.allowRanges", w)));
  }

  private static void cidrs(Manifest m, String path, List<String> ranges, List<Problem> out) {
    if (ranges == null) return;
    for (int i = 0; i < ranges.size(); i++) {
      if (!isCidr(ranges.get(i))) {
        out.add(m.problem(path + "[" + i + "]", "must be a CIDR range like 10.0.0.0/8 (got \"" + ranges.get(i) + "\")"));
      }
    }
  }

  private static void resources(Manifest m, String path, Resources r, List<Problem> out) {
    if (r == null || !Quantities.isMemory(r.memory())) return;
    if (r.memoryBytes() < MIN_MEMORY) out.add(m.problem(path + ".memory", "must be at least 6Mi, Docker's smallest memory limit (got " + r.memory() + ")"));
    if (r.memorySwap() != null && Quantities.isMemory(r.memorySwap()) && r.memorySwapBytes() < r.memoryBytes()) {
      out.add(m.problem(path + ".memorySwap", "must be at least memory (" + r.memory() + "): it counts memory plus swap"));
    }
    if (Quantities.isCpu(r.cpus()) && r.nanoCpus() <= 0) out.add(m.problem(path + ".cpus", "must be more than 0"));
  }

  private static void env(Manifest m, String path, Map<String, String> env, List<Problem> out) {
    if (env == null) return;
    env.forEach((name, value) -> SecretPatterns.envReason(name, value).ifPresent(reason -> out.add(m.problem(path + "." + name,
        "looks like a secret (" + reason + "); secrets never travel as environment variables: deliver it as a file with secrets[]"))));
  }

  private static void secrets(Manifest m, String path, List<SecretMount> secrets, String stateDir, boolean checkFiles, List<Problem> out) {
    if (secrets == null) return;
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < secrets.size(); i++) {
      SecretMount s = secrets.get(i);
      String at = path + "[" + i + "]";
      if ((s.secretRef() == null) == (s.file() == null)) out.add(m.problem(at, SECRET_SOURCE));
      else if (checkFiles && s.file() != null) readableFile(m, at + ".file", s.file(), out);
      if (!names.add(s.name())) out.add(m.problem(at + ".name", "secret name \"" + s.name() + "\" is used twice"));
      if (!paths.add(s.mountPath())) out.add(m.problem(at + ".mountPath", "two secrets would be written to " + s.mountPath()));
      if (stateDir != null && under(s.mountPath(), stateDir)) {
        out.add(m.problem(at + ".mountPath", "lies under stateDir " + stateDir
            + ", which is bind-mounted from the host: the secret would land on the host's disk; choose a path outside it"));
      }
    }
  }

  private static void volumes(Manifest m, String path, List<Volume> volumes, String stateDir, List<Problem> out) {
    if (volumes == null) return;
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      String at = path + "[" + i + "]";
      if (v.bindMount() && HostPaths.exposesDockerSocket(v.source(), HostPaths::lexical)) {
        out.add(m.problem(at + ".source", "would give the gateway the Docker socket; only the socket proxy mounts it"));
      } else if (v.bindMount()) {
        HostPaths.sensitive(v.source(), HostPaths::lexical).ifPresent(p -> out.add(m.problem(at + ".source",
            "would give the gateway the host's " + (p.equals("/") ? "root filesystem" : p) + "; bind a directory of its own")));
      }
      if (under(v.target(), stateDir) || under(stateDir, v.target())) {
        out.add(m.problem(at + ".target", "overlaps stateDir " + stateDir + ", which the operator mounts itself"));
      }
    }
  }

  /** Two GatewayDeployments on one host must not share networks or container names; two policies not a gateway. */
  private static void conflicts(List<Manifest> manifests, List<Problem> out) {
    Map<String, Manifest> networkOwners = new HashMap<>();
    Map<String, Manifest> nameOwners = new HashMap<>();
    Map<ResourceKey, Manifest> gatewayPolicies = new HashMap<>();
    List<Manifest> policies = new ArrayList<>();
    for (Manifest m : manifests) {
      if (m.resource() instanceof GatewayDeployment g) {
        Networks n = g.getSpec().networks();
        List<String> names = g.getSpec().ingressProxy() == null ? List.of(n.internal(), n.egress()) : List.of(n.internal(), n.egress(), n.ingress());
        for (String network : names) {
          Manifest other = networkOwners.putIfAbsent(network, m);
          if (other != null && !other.key().equals(m.key())) {
            out.add(m.conflict("spec.networks", "network " + network + " is already claimed by " + other.key() + " (" + where(other) + ")"));
          }
        }
        Manifest sameName = nameOwners.putIfAbsent(m.key().name(), m);
        if (sameName != null && !sameName.key().equals(m.key())) {
          out.add(m.conflict("metadata.name", "containers are named after the GatewayDeployment, and " + sameName.key()
              + " already uses the name \"" + m.key().name() + "\" on this host"));
        }
      } else if (m.resource() instanceof SandboxPolicy p) {
        policies.add(m);
        ResourceKey gw = new ResourceKey("GatewayDeployment", m.key().namespace(), p.getSpec().gatewayRef().name());
        Manifest other = gatewayPolicies.putIfAbsent(gw, m);
        if (other != null && !other.key().equals(m.key())) {
          out.add(m.conflict("spec.gatewayRef.name", "" + other.key() + " already governs the sandboxes of " + gw));
        }
      }
    }
    for (int i = 0; i < policies.size(); i++) {
      for (int j = 0; j < i; j++) {
        LabelSelector a = policies.get(i).as(SandboxPolicy.class).getSpec().selector();
        LabelSelector b = policies.get(j).as(SandboxPolicy.class).getSpec().selector();
        boolean sameGateway = policies.get(i).as(SandboxPolicy.class).getSpec().gatewayRef().equals(policies.get(j).as(SandboxPolicy.class).getSpec().gatewayRef())
            && policies.get(i).key().namespace().equals(policies.get(j).key().namespace());
        if (!sameGateway && selectorsOverlap(a, b)) {
          out.add(policies.get(i).conflict("spec.selector", "a container could match both this selector and the one of "
              + policies.get(j).key() + "; make them exclusive (a label with different values)"));
        }
      }
    }
  }

  /** Equality selectors can select the same container unless some key is required with two different values. */
  public static boolean selectorsOverlap(LabelSelector a, LabelSelector b) {
    Map<String, String> x = a.matchLabels() == null ? Map.of() : a.matchLabels();
    Map<String, String> y = b.matchLabels() == null ? Map.of() : b.matchLabels();
    return x.entrySet().stream().noneMatch(e -> y.containsKey(e.getKey()) && !y.get(e.getKey()).equals(e.getValue()));
  }

  /** Whether {@code path} equals or lies under {@code dir}, compared after lexical normalisation. */
  public static boolean under(String path, String dir) { return HostPaths.under(path, dir); }

  private static void readableFile(Manifest m, String path, String file, List<Problem> out) {
    Path resolved = m.resolvable(file).orElse(null);
    if (resolved == null) out.add(m.problem(path, "is not a file name this host can use: " + file));
    else if (!Files.isRegularFile(resolved)) out.add(m.problem(path, "file not found: " + resolved));
    else if (!Files.isReadable(resolved)) out.add(m.problem(path, "file not readable by the operator: " + resolved));
  }

  static boolean isCidr(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) return false;
    Optional<InetAddress> address = parseLiteral(text.substring(0, slash));
    if (address.isEmpty()) return false;
    try {
      int bits = Integer.parseInt(text.substring(slash + 1));
      return bits >= 0 && bits <= address.get().getAddress().length * 8;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static boolean isIpAddress(String text) { return text != null && parseLiteral(text).isPresent(); }

  /** Parses only IP literals: never a DNS lookup. */
  private static Optional<InetAddress> parseLiteral(String text) {
    boolean v4 = text.matches("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$") && java.util.Arrays.stream(text.split("\\.")).allMatch(o -> Integer.parseInt(o) < 256);
    boolean v6 = text.contains(":") && text.matches("^[0-9a-fA-F:.]+$");
    if (!v4 && !v6) return Optional.empty();
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static String where(Manifest m) {
    return m.file() == null ? m.key().toString() : m.file() + ":" + m.line();
  }
}
