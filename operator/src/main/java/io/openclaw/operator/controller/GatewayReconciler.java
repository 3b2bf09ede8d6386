package io.openclaw.operator.controller;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Component;
import io.openclaw.operator.plan.GatewayPlanner;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.Hashing;
import io.openclaw.operator.plan.render.SmokescreenConfig;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.status.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one GatewayDeployment's networks and containers equal to its spec. The only reconciler that writes into
 * the gateway's containers: the other kinds render their part (sandbox config, egress ACL) and enqueue this one.
 */
final class GatewayReconciler implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(GatewayReconciler.class);
  /** After acting, look again soon: the next pass sees the result and reports Ready. */
  static final Duration VERIFY_AFTER = Duration.ofMillis(500);

  private final Controller c;

  GatewayReconciler(Controller controller) {
    this.c = controller;
  }

  @Override
  public Optional<Duration> reconcile(ResourceKey key) {
    DesiredStore.Entry entry = c.store.entry(key).orElse(null);
    if (entry == null) return Optional.empty();
    if (entry.deleting()) return teardown(key, entry);
    if (entry.inForce() == null) {
      writeStatus(key, entry, Controller.refused(entry), List.of());
      return Optional.empty();
    }
    GatewayDeployment gwd = entry.inForce().as(GatewayDeployment.class);
    Optional<EgressAllowlist> allowlist = c.store.allowlistFor(gwd);
    GatewayStack.Inputs inputs;
    try {
      inputs = GatewayView.inputs(c.store, c.source.secrets(), entry.inForce());
    } catch (SecretReader.Unavailable e) {
      writeStatus(key, entry, Outcome.stalled("SecretUnavailable", e.getMessage()), List.of());
      return Optional.of(c.resync);
    } catch (IllegalArgumentException e) {
      writeStatus(key, entry, Outcome.stalled("InvalidConfig", "the base openclaw.json cannot be used: " + e.getMessage()), List.of());
      return Optional.of(c.resync);
    }
    GatewayStack.Desired desired = GatewayStack.desired(inputs);
    GatewayPlanner.Plan plan = GatewayView.plan(c.store, c.docker, c.observed.snapshot(), desired, gwd);
    publishLiveAcl(key, plan, allowlist);

    if (!plan.conflicts().isEmpty()) {
      writeStatus(key, entry, Outcome.stalled("Conflict", String.join("; ", plan.conflicts())), plan.components());
      return Optional.of(c.resync);
    }
    List<String> unavailable = new ArrayList<>();
    int done = 0;
    for (Action action : plan.actions()) {
      if (!c.effective(action)) continue;
      try {
        c.execute(key, action);
        done++;
      } catch (Executor.ImageUnavailable e) {
        unavailable.add(e.image);
      } catch (DockerException e) {
        if (e instanceof DockerException.Unavailable) throw e;
        // The daemon refused: say so, then retry with backoff (the error may be passing).
        writeStatus(key, entry, Outcome.stalled("ActionFailed", action.type() + " " + action.target() + " failed: " + e.getMessage()),
            plan.components());
        throw e;
      }
    }
    Outcome outcome;
    if (c.limitsUnsupported().isPresent()) {
      outcome = Outcome.stalled("LimitUnsupported", c.limitsUnsupported().get());
    } else if (!unavailable.isEmpty()) {
      outcome = Outcome.stalled("ImageUnavailable", "image " + String.join(", ", unavailable)
          + " is not present on the host and cannot be pulled; load it (docker load / docker pull) or fix the image reference."
          + " Running containers were left as they are.");
    } else if (!entry.valid()) {
      outcome = Controller.refused(entry);
    } else if (done > 0) {
      outcome = Outcome.reconciling("Progressing", "applied " + done + " change(s): "
          + String.join("; ", plan.actions().stream().map(a -> a.type() + " " + a.target()).toList()));
    } else if (!plan.reported().isEmpty()) {
      outcome = Outcome.ready("all components run and conform; reported, not acted on (foreignContainers: report): "
          + String.join("; ", plan.reported()));
    } else {
      outcome = Outcome.ready(readyMessage(inputs.policy() != null));
    }
    writeStatus(key, entry, outcome, plan.components());
    if (done > 0) return Optional.of(VERIFY_AFTER);
    return unavailable.isEmpty() ? Optional.empty() : Optional.of(Duration.ofSeconds(30));
  }

  /** Tells the EgressAllowlist reconciler which ACL the egress proxy really has. */
  private void publishLiveAcl(ResourceKey key, GatewayPlanner.Plan plan, Optional<EgressAllowlist> allowlist) {
    String egressName = Component.EGRESS_PROXY.containerName(key.name());
    boolean pending = plan.actions().stream().anyMatch(a -> a.target().equals(egressName));
    Optional<ContainerView> egress = plan.components().stream().filter(s -> s.containerName().equals(egressName))
        .map(GatewayPlanner.ComponentState::container).filter(java.util.Objects::nonNull).findFirst();
    String live = "";
    if (egress.isPresent() && !pending && egress.get().running()) {
      live = c.docker.readFile(egress.get().id(), SmokescreenConfig.ACL_PATH).map(Hashing::sha256).orElse("");
    }
    String before = c.liveAcls.put(key, live);
    if (!live.equals(before)) allowlist.ifPresent(a -> c.enqueue(ResourceKey.of(a)));
  }

  private Optional<Duration> teardown(ResourceKey key, DesiredStore.Entry entry) {
    GatewayStack.Desired nothing = new GatewayStack.Desired(key, List.of(), List.of());
    GatewayPlanner.Plan plan = GatewayPlanner.plan(nothing, new GatewayPlanner.Observed(c.observed.snapshot(), Map.of(), Set.of(),
        io.openclaw.operator.api.GatewayDeploymentSpec.ForeignContainers.REPORT));
    for (Action action : plan.actions()) c.execute(key, action);
    if (!plan.actions().isEmpty()) return Optional.of(VERIFY_AFTER);
    log.info("{} is gone and everything it made is removed", key);
    c.liveAcls.remove(key);
    c.source.released(key);
    return Optional.empty();
  }

  private static String readyMessage(boolean policyPresent) {
    String base = "all components run and conform";
    return policyPresent ? base : base + "; no SandboxPolicy names this gateway, so no sandbox settings or agent-level tool denials are rendered";
  }

  private void writeStatus(ResourceKey key, DesiredStore.Entry entry, Outcome outcome, List<GatewayPlanner.ComponentState> components) {
    List<GatewayDeploymentStatus.Component> states = new ArrayList<>();
    int ready = 0;
    for (GatewayPlanner.ComponentState s : components) {
      ContainerView v = s.container();
      if (s.conforming()) ready++;
      states.add(new GatewayDeploymentStatus.Component(s.component(), s.containerName(), v == null ? null : v.id(),
          v == null ? null : v.image(), v == null ? "missing" : v.state(), v == null ? null : v.restartCount(), s.conforming()));
    }
    String componentsReady = ready + "/" + components.size();
    c.statuses.writeGateway(key, entry.generation(), outcome, states, componentsReady);
  }
}
