package io.openclaw.operator.plan;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.PortMapping;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.SecretMount;
import io.openclaw.operator.api.Volume;
import io.openclaw.operator.api.WorkspaceFile;
import io.openclaw.operator.plan.render.ModelRouting;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.plan.render.SmokescreenConfig;
import io.openclaw.operator.plan.render.SocketProxyEnv;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** What a GatewayDeployment means on the host: its networks and containers, fully decided. Pure. */
public final class GatewayStack {
  public static final String DOCKER_SOCKET = "/var/run/docker.sock";
  public static final int SOCKET_PROXY_PORT = 2375;

  private GatewayStack() {}

  /** Everything the stack needs that comes from outside the resources: secret values and the base config. */
  public record Inputs(GatewayDeployment gateway, SandboxPolicy policy, EgressAllowlist allowlist, JsonNode baseConfig,
      Map<String, byte[]> secrets) {
    public static String secretKey(Component component, String secretName) { return component.field + "/" + secretName; }

    /** The key the gateway presents to the model proxy (spec.modelProxy.gatewayKey). */
    public static final String MODEL_PROXY_KEY = "modelProxy.gatewayKey";

    /** The content of a workspace file (spec.gateway.workspaceFiles[].name). */
    public static String workspaceKey(String fileName) { return "workspace/" + fileName; }
  }

  public record Desired(ResourceKey owner, List<NetworkSpec> networks, List<ContainerSpec> containers) {}

  public static Desired desired(Inputs in) {
    GatewayDeployment gwd = in.gateway();
    GatewayDeploymentSpec spec = gwd.getSpec();
    ResourceKey owner = ResourceKey.of(gwd);
    String name = owner.name();
    var nets = spec.networks();
    List<NetworkSpec> networks = new ArrayList<>();
    networks.add(new NetworkSpec(nets.internal(), true, ownerLabels(owner, "network")));
    networks.add(new NetworkSpec(nets.egress(), false, ownerLabels(owner, "network")));
    if (spec.ingressProxy() != null) networks.add(new NetworkSpec(nets.ingress(), false, ownerLabels(owner, "network")));

    int listenPort = spec.egressProxy().listenPort();
    List<String> proxyEnv = proxyEnv(listenPort);
    List<ContainerSpec> containers = new ArrayList<>();

    // The socket proxy: the only container with the Docker socket.
    containers.add(new ContainerSpec(Component.SOCKET_PROXY.containerName(name), Component.SOCKET_PROXY.field, spec.socketProxy().image(),
        ownerLabels(owner, Component.SOCKET_PROXY.field), SocketProxyEnv.render(spec.socketProxy().allow()), List.of(), List.of(), "",
        Limits.of(spec.socketProxy().resources()), List.of(new MountSpec(DOCKER_SOCKET, DOCKER_SOCKET, true)), nets.internal(),
        Map.of(nets.internal(), List.of(Component.SOCKET_PROXY.alias)), List.of(), List.of()));

    // The egress proxy: the only container on both networks.
    var egress = spec.egressProxy();
    String egressUser = userOrEmpty(egress.user());
    List<FileSpec> egressFiles = new ArrayList<>();
    int egressUid = ContainerSpec.uid(egressUser);
    int egressGid = ContainerSpec.gid(egressUser);
    egressFiles.add(FileSpec.dir(SmokescreenConfig.DIR, egressUid, egressGid));
    // Always an ACL: without its file Smokescreen stops at once; without a list, the ACL allows nothing.
    egressFiles.add(FileSpec.file(SmokescreenConfig.ACL_PATH, bytes(SmokescreenConfig.acl(in.allowlist())), egressUid, egressGid));
    egressFiles.add(FileSpec.file(SmokescreenConfig.CONFIG_PATH, bytes(SmokescreenConfig.CONFIG), egressUid, egressGid));
    containers.add(new ContainerSpec(Component.EGRESS_PROXY.containerName(name), Component.EGRESS_PROXY.field, egress.image(),
        ownerLabels(owner, Component.EGRESS_PROXY.field), SmokescreenConfig.env(in.allowlist()), List.of(), SmokescreenConfig.args(in.allowlist(), listenPort),
        egressUser, Limits.of(egress.resources()), List.of(), nets.internal(),
        orderedNetworks(nets.internal(), List.of(Component.EGRESS_PROXY.alias), nets.egress(), List.of()), List.of(), egressFiles));

    if (spec.cache() != null) {
      var cache = spec.cache();
      containers.add(new ContainerSpec(Component.CACHE.containerName(name), Component.CACHE.field, cache.image(),
          ownerLabels(owner, Component.CACHE.field), List.of(), List.of(), List.of(), userOrEmpty(cache.user()),
          Limits.of(cache.resources()), List.of(), nets.internal(), Map.of(nets.internal(), List.of(Component.CACHE.alias)),
          List.of(), List.of()));
    }

    if (spec.modelProxy() != null) {
      var model = spec.modelProxy();
      String user = userOrEmpty(model.user());
      containers.add(new ContainerSpec(Component.MODEL_PROXY.containerName(name), Component.MODEL_PROXY.field, model.image(),
          ownerLabels(owner, Component.MODEL_PROXY.field), env(model.env(), proxyEnv), list(model.command()), list(model.args()),
          user, Limits.of(model.resources()), List.of(), nets.internal(), Map.of(nets.internal(), List.of(Component.MODEL_PROXY.alias)),
          List.of(), secretFiles(Component.MODEL_PROXY, model.secrets(), in.secrets(), user)));
    }

    var gateway = spec.gateway();
    String gatewayUser = userOrEmpty(gateway.user());
    int gatewayUid = ContainerSpec.uid(gatewayUser);
    int gatewayGid = ContainerSpec.gid(gatewayUser);
    List<String> gatewayEnv = new ArrayList<>(proxyEnv);
    gatewayEnv.add("DOCKER_HOST=tcp://" + Component.SOCKET_PROXY.alias + ":" + SOCKET_PROXY_PORT);
    gatewayEnv.add("NODE_USE_ENV_PROXY=1");
    gatewayEnv.add("OPENCLAW_CONFIG_PATH=" + OpenClawConfig.PATH);
    gatewayEnv.add("OPENCLAW_STATE_DIR=" + gateway.stateDir());
    List<MountSpec> gatewayMounts = new ArrayList<>();
    // Same path on both sides: OpenClaw passes sandbox bind sources as paths it sees, the daemon reads host paths.
    gatewayMounts.add(new MountSpec(gateway.stateDir(), gateway.stateDir(), false));
    for (Volume v : list(gateway.volumes())) gatewayMounts.add(new MountSpec(v.source(), v.target(), v.readOnlyMount()));
    List<FileSpec> gatewayFiles = new ArrayList<>();
    gatewayFiles.add(FileSpec.dir(OpenClawConfig.DIR, gatewayUid, gatewayGid));
    String sandboxRoot = sandboxRoot(spec, in.policy());
    gatewayFiles.add(FileSpec.json(OpenClawConfig.PATH, OpenClawConfig.render(in.baseConfig(), spec,
        in.policy() == null ? null : in.policy().getSpec(), sandboxRoot), gatewayUid, gatewayGid));
    gatewayFiles.addAll(secretFiles(Component.GATEWAY, gateway.secrets(), in.secrets(), gatewayUser));
    byte[] modelProxyKey = in.secrets().get(Inputs.MODEL_PROXY_KEY);
    if (spec.modelProxy() != null && spec.modelProxy().gatewayKey() != null && modelProxyKey != null) {
      gatewayFiles.add(FileSpec.file(ModelRouting.KEY_PATH, modelProxyKey, gatewayUid, gatewayGid));
    }
    if (gateway.workspaceFiles() != null && !gateway.workspaceFiles().isEmpty()) {
      // In the bind-mounted stateDir, so on the host's disk: the directory belongs to the gateway's user, who writes
      // memory and notes beside these files.
      String workspace = OpenClawConfig.agentWorkspace(spec, in.policy() == null ? null : in.policy().getSpec());
      gatewayFiles.add(FileSpec.dir(workspace, gatewayUid, gatewayGid));
      for (WorkspaceFile w : gateway.workspaceFiles()) {
        byte[] content = in.secrets().get(Inputs.workspaceKey(w.name()));
        if (content != null) gatewayFiles.add(FileSpec.workspace(java.nio.file.Path.of(workspace, w.name()).toString(), content, gatewayUid, gatewayGid));
      }
    }
    containers.add(new ContainerSpec(Component.GATEWAY.containerName(name), Component.GATEWAY.field, gateway.image(),
        ownerLabels(owner, Component.GATEWAY.field), env(gateway.env(), gatewayEnv), list(gateway.command()), list(gateway.args()),
        gatewayUser, Limits.of(gateway.resources()), gatewayMounts, nets.internal(),
        Map.of(nets.internal(), List.of(Component.GATEWAY.alias)), List.of(), gatewayFiles));

    if (spec.ingressProxy() != null) {
      var ingress = spec.ingressProxy();
      List<ContainerSpec.PortSpec> ports = new ArrayList<>();
      for (PortMapping p : list(ingress.ports())) {
        ports.add(new ContainerSpec.PortSpec(p.containerPort(), p.hostPort(), p.hostIP(), p.protocol().name().toLowerCase(java.util.Locale.ROOT)));
      }
      // Its primary network is the ingress bridge: ports are published there, never on the internal network.
      containers.add(new ContainerSpec(Component.INGRESS_PROXY.containerName(name), Component.INGRESS_PROXY.field, ingress.image(),
          ownerLabels(owner, Component.INGRESS_PROXY.field), List.of(), list(ingress.command()), list(ingress.args()),
          userOrEmpty(ingress.user()), Limits.of(ingress.resources()), List.of(), nets.ingress(),
          orderedNetworks(nets.ingress(), List.of(), nets.internal(), List.of(Component.INGRESS_PROXY.alias)), ports, List.of()));
    }
    return new Desired(owner, networks, containers);
  }

  /** Where OpenClaw keeps sandbox workspaces: the policy's sandboxRoot, else {@code <stateDir>/sandboxes}. */
  public static String sandboxRoot(GatewayDeploymentSpec gateway, SandboxPolicy policy) {
    if (policy != null && policy.getSpec().mounts().sandboxRoot() != null) return policy.getSpec().mounts().sandboxRoot();
    return java.nio.file.Path.of(gateway.gateway().stateDir(), "sandboxes").toString();
  }

  /** The agent's own workspace: the policy's agentWorkspace, else {@code <stateDir>/workspace}. */
  public static String agentWorkspace(GatewayDeploymentSpec gateway, SandboxPolicy policy) {
    if (policy != null && policy.getSpec().mounts().agentWorkspace() != null) return policy.getSpec().mounts().agentWorkspace();
    return java.nio.file.Path.of(gateway.gateway().stateDir(), "workspace").toString();
  }

  public static Map<String, String> ownerLabels(ResourceKey owner, String component) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGER);
    labels.put(Labels.OWNER, owner.toString());
    labels.put(Labels.COMPONENT, component);
    return labels;
  }

  private static List<String> proxyEnv(int listenPort) {
    String proxy = "http://" + Component.EGRESS_PROXY.alias + ":" + listenPort;
    String noProxy = "localhost,127.0.0.1,::1," + String.join(",", java.util.Arrays.stream(Component.values()).map(c -> c.alias).toList());
    return List.of("HTTP_PROXY=" + proxy, "HTTPS_PROXY=" + proxy, "http_proxy=" + proxy, "https_proxy=" + proxy,
        "NO_PROXY=" + noProxy, "no_proxy=" + noProxy);
  }

  /** The user's variables, then the operator's, which win. */
  private static List<String> env(Map<String, String> user, List<String> operator) {
    Map<String, String> merged = new TreeMap<>();
    if (user != null) merged.putAll(user);
    for (String kv : operator) {
      int eq = kv.indexOf('=');
      merged.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    List<String> out = new ArrayList<>();
    merged.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static List<FileSpec> secretFiles(Component component, List<SecretMount> secrets, Map<String, byte[]> values, String user) {
    List<FileSpec> files = new ArrayList<>();
    for (SecretMount s : list(secrets)) {
      byte[] value = values.get(Inputs.secretKey(component, s.name()));
      if (value != null) files.add(FileSpec.file(s.mountPath(), value, ContainerSpec.uid(user), ContainerSpec.gid(user)));
    }
    return files;
  }

  private static Map<String, List<String>> orderedNetworks(String first, List<String> firstAliases, String second, List<String> secondAliases) {
    Map<String, List<String>> networks = new LinkedHashMap<>();
    networks.put(first, firstAliases);
    networks.put(second, secondAliases);
    return networks;
  }

  private static String userOrEmpty(String user) { return user == null ? "" : user; }

  private static <T> List<T> list(List<T> values) { return values == null ? List.of() : values; }

  private static byte[] bytes(String s) { return s.getBytes(java.nio.charset.StandardCharsets.UTF_8); }
}
