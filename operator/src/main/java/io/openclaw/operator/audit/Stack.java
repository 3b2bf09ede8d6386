package io.openclaw.operator.audit;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Component;
import io.openclaw.operator.plan.GatewayPlanner;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.source.DesiredState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One GatewayDeployment's socket proxy and gateway as the audit judges them: from the declared resources and the
 * gateway's plan when given (a component is the container of that name this deployment created); otherwise from
 * the state directory's record of what the operator created, by the component label of each.
 */
public record Stack(String owner, GatewayDeployment declared, ContainerView socketProxy, ContainerView gateway, List<String> agentDenials,
    List<String> gatewayDenials) {

  /** Agent- and gateway-level denials are known only from declared resources. */
  public boolean denialsKnown() { return declared != null; }

  public static List<Stack> find(DesiredState desired, HostView view, HostPlans.All plans) {
    return desired.given() ? declared(desired, plans) : recorded(view);
  }

  private static List<Stack> declared(DesiredState desired, HostPlans.All plans) {
    List<Stack> out = new ArrayList<>();
    for (GatewayDeployment gwd : desired.gateways()) {
      ResourceKey key = ResourceKey.of(gwd);
      Map<String, ContainerView> components = new LinkedHashMap<>();
      if (plans.gateways().get(key) instanceof HostPlans.GatewayResult.Planned p) {
        for (GatewayPlanner.ComponentState s : p.plan().components()) if (s.verdict() != null) components.put(s.component(), s.container());
      }
      List<String> agent = desired.policyFor(gwd).map(x -> x.getSpec().toolDenials()).orElse(null);
      out.add(new Stack(key.toString(), gwd, components.get(Component.SOCKET_PROXY.field), components.get(Component.GATEWAY.field), agent,
          gwd.getSpec().toolDenials().gateway()));
    }
    return out;
  }

  private static List<Stack> recorded(HostView view) {
    Map<ResourceKey, Map<Component, ContainerView>> byOwner = new LinkedHashMap<>();
    view.ownership().all().forEach((id, owner) -> {
      ContainerView c = view.snapshot().containers().get(id);
      if (c == null || !owner.kind().equals("GatewayDeployment")) return;
      Optional<Component> component = Component.byField(c.labels().getOrDefault(Labels.COMPONENT, ""));
      component.ifPresent(k -> byOwner.computeIfAbsent(owner, o -> new LinkedHashMap<>()).put(k, c));
    });
    List<Stack> out = new ArrayList<>();
    byOwner.forEach((owner, components) -> out.add(new Stack(owner.toString(), null, components.get(Component.SOCKET_PROXY),
        components.get(Component.GATEWAY), null, null)));
    return out;
  }
}
