package io.openclaw.operator.audit;

import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.Component;
import io.openclaw.operator.plan.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One GatewayDeployment's footprint on the host as the audit judges it: its internal network, the containers allowed
 * one more network (the egress proxy its egress network, the ingress proxy its ingress network), its socket proxy and
 * its gateway. From the declared resources when given (a component is recognised by name and owner label); otherwise
 * inferred from the operator's labels, which any client with POST could forge, so the detail says so.
 */
public record Stack(String owner, GatewayDeployment declared, String internalNetwork, Map<String, String> secondNetworkAllowed,
    ContainerView socketProxy, ContainerView gateway, List<String> agentDenials, List<String> gatewayDenials) {

  /** Agent- and gateway-level denials are known only from declared resources. */
  public boolean denialsKnown() { return declared != null; }

  public static List<Stack> find(DesiredState desired, HostSnapshot host) {
    return desired.given() ? declared(desired, host) : inferred(host);
  }

  private static List<Stack> declared(DesiredState desired, HostSnapshot host) {
    List<Stack> out = new ArrayList<>();
    for (GatewayDeployment gwd : desired.gateways()) {
      String owner = ResourceKey.of(gwd).toString();
      String name = gwd.getMetadata().getName();
      GatewayDeploymentSpec spec = gwd.getSpec();
      Map<String, String> second = new LinkedHashMap<>();
      component(host, owner, name, Component.EGRESS_PROXY).ifPresent(c -> second.put(c.id(), spec.networks().egress()));
      if (spec.ingressProxy() != null) {
        component(host, owner, name, Component.INGRESS_PROXY).ifPresent(c -> second.put(c.id(), spec.networks().ingress()));
      }
      List<String> agent = desired.policyFor(gwd).map(p -> p.getSpec().toolDenials()).orElse(null);
      out.add(new Stack(owner, gwd, spec.networks().internal(), second, component(host, owner, name, Component.SOCKET_PROXY).orElse(null),
          component(host, owner, name, Component.GATEWAY).orElse(null), agent, spec.toolDenials().gateway()));
    }
    return out;
  }

  /** A component's container: the right name and this deployment's owner label; a squatter with the name is not it. */
  private static Optional<ContainerView> component(HostSnapshot host, String owner, String deployment, Component component) {
    return host.containerNamed(component.containerName(deployment)).filter(c -> owner.equals(c.label(Labels.OWNER)));
  }

  private static List<Stack> inferred(HostSnapshot host) {
    Map<String, Map<Component, ContainerView>> byOwner = new LinkedHashMap<>();
    for (ContainerView c : host.allContainers()) {
      String owner = c.label(Labels.OWNER);
      if (!Labels.managed(c.labels()) || owner == null || !owner.startsWith("GatewayDeployment/")) continue;
      Component.byField(c.labels().getOrDefault(Labels.COMPONENT, "")).ifPresent(k -> byOwner.computeIfAbsent(owner, o -> new LinkedHashMap<>()).put(k, c));
    }
    List<Stack> out = new ArrayList<>();
    byOwner.forEach((owner, components) -> {
      // Every component but the ingress proxy has the internal network as its primary one.
      Optional<String> internal = List.of(Component.GATEWAY, Component.SOCKET_PROXY, Component.EGRESS_PROXY, Component.CACHE, Component.MODEL_PROXY)
          .stream().map(components::get).filter(c -> c != null && !c.networkMode().isEmpty()).map(ContainerView::networkMode).findFirst();
      if (internal.isEmpty()) return;
      Map<String, String> second = new LinkedHashMap<>();
      for (Component k : List.of(Component.EGRESS_PROXY, Component.INGRESS_PROXY)) {
        ContainerView c = components.get(k);
        if (c == null) continue;
        List<String> others = c.networks().keySet().stream().filter(n -> !n.equals(internal.get())).toList();
        if (others.size() == 1) second.put(c.id(), others.get(0));
      }
      out.add(new Stack(owner, null, internal.get(), second, components.get(Component.SOCKET_PROXY), components.get(Component.GATEWAY), null, null));
    });
    return out;
  }
}
