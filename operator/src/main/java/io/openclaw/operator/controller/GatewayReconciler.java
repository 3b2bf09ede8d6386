package io.openclaw.operator.controller;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.plan.Component;
import io.openclaw.operator.plan.GatewayPlanner;
import io.openclaw.operator.plan.Hashing;
import io.openclaw.operator.plan.Schedule;
import io.openclaw.operator.plan.render.SmokescreenConfig;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one GatewayDeployment's networks and containers equal to its spec by carrying out its plan. The only
 * reconciler that writes into the gateway's containers: the other kinds render their part (sandbox config, egress
 * ACL) and enqueue this one.
 */
final class GatewayReconciler implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(GatewayReconciler.class);
  /** After acting, look again soon: the next pass sees the result and reports Ready. */
  static final Duration VERIFY_AFTER = Duration.ofMillis(500);

  private final Context c;

  GatewayReconciler(Context context) {
    this.c = context;
  }

  @Override
  public Optional<Duration> reconcile(ResourceKey key) {
    DesiredStore.Entry entry = c.store.entry(key).orElse(null);
    if (entry == null) return Optional.empty();
    if (entry.deleting()) return teardown(key, entry.generation());
    if (entry.inForce() == null) {
      writeStatus(key, entry, Refusal.of(entry), List.of());
      return Optional.empty();
    }
    GatewayDeployment gwd = entry.inForce().as(GatewayDeployment.class);
    HostView view = c.view();
    HostPlans.GatewayResult result = HostPlans.gateway(view, entry.inForce());
    if (result instanceof HostPlans.GatewayResult.Unplannable u) {
      // A Secret or file not there (yet) is retried, and watched; unusable content needs a person at once.
      StatusReason reason = StatusReason.of(u.reason()).orElse(StatusReason.INVALID_CONFIG);
      boolean missing = reason.handling == StatusReason.Handling.MISSING;
      writeStatus(key, entry, missing ? c.missing(key, reason, u.message()) : reason.outcome(u.message()), List.of());
      return Optional.of(missing ? c.retryMissing(key) : c.resync);
    }
    HostPlans.GatewayResult.Planned planned = (HostPlans.GatewayResult.Planned) result;
    GatewayPlanner.Plan plan = planned.plan();
    publishLiveAcl(key, planned, c.store.allowlistFor(gwd));

    if (!plan.conflicts().isEmpty()) {
      writeStatus(key, entry, StatusReason.CONFLICT.outcome(String.join("; ", plan.conflicts())), plan.components());
      return Optional.of(c.resync);
    }
    plan.reported().forEach(a -> c.report(key, a.containerId(), a));
    List<String> unavailable = new ArrayList<>();
    int done = 0;
    for (Schedule.Stage stage : plan.schedule().stages()) {
      List<Context.Done> results = c.run(key, stage);
      Context.Done refused = null;
      for (Context.Done d : results) {
        if (d.executed()) done++;
        if (d.failure() instanceof Executor.ImageUnavailable e) unavailable.add(e.image);
        else if (d.failure() instanceof DockerException.Unavailable e) throw e;
        else if (d.failure() instanceof DockerException || d.failure() instanceof java.io.UncheckedIOException) refused = refused == null ? d : refused;
        else if (d.failure() != null) throw d.failure();
      }
      if (refused != null) {
        // The daemon (or the host's filesystem) refused: say so, then retry with backoff (the error may be passing). The stage's other chains
        // have finished; later stages wait for the retry.
        writeStatus(key, entry, StatusReason.ACTION_FAILED.outcome(refused.action().type() + " " + refused.action().target() + " failed: "
            + refused.failure().getMessage() + "; retried with backoff"), plan.components());
        throw refused.failure();
      }
    }
    Outcome outcome;
    if (plan.limitsUnsupported().isPresent()) {
      outcome = StatusReason.LIMIT_UNSUPPORTED.outcome(plan.limitsUnsupported().get());
    } else if (!unavailable.isEmpty()) {
      outcome = c.missing(key, StatusReason.IMAGE_UNAVAILABLE, "image " + String.join(", ", unavailable)
          + " is not present on the host and cannot be pulled; load it (docker load / docker pull) or fix the image reference."
          + " Running containers were left as they are.");
    } else if (!entry.valid()) {
      outcome = Refusal.of(entry);
    } else if (done > 0) {
      outcome = StatusReason.PROGRESSING.outcome("applied " + done + " change(s): "
          + String.join("; ", plan.actions().stream().map(a -> a.type() + " " + a.target()).toList()));
    } else if (!plan.reported().isEmpty()) {
      outcome = Outcome.ready("all components run and conform; reported, not acted on (foreignContainers: report): "
          + String.join("; ", plan.reported().stream().map(a -> a.reason().detail()).toList()));
    } else {
      outcome = Outcome.ready(readyMessage(planned.inputs().policy() != null));
    }
    if (unavailable.isEmpty()) c.found(key);
    writeStatus(key, entry, outcome, plan.components());
    if (done > 0) return Optional.of(VERIFY_AFTER);
    return unavailable.isEmpty() ? Optional.empty() : Optional.of(c.retryMissing(key));
  }

  /**
   * Tells the EgressAllowlist reconciler which ACL the egress proxy really has: the one the plan read inside the
   * container (a running egress proxy of the current spec is always read), so no second read.
   */
  private void publishLiveAcl(ResourceKey key, HostPlans.GatewayResult.Planned planned, Optional<EgressAllowlist> allowlist) {
    GatewayPlanner.Plan plan = planned.plan();
    String egressName = Component.EGRESS_PROXY.containerName(key.name());
    boolean pending = plan.actions().stream().anyMatch(a -> a.target().equals(egressName));
    Optional<ContainerView> egress = plan.components().stream().filter(s -> s.containerName().equals(egressName))
        .map(GatewayPlanner.ComponentState::container).filter(Objects::nonNull).findFirst();
    String live = "";
    if (egress.isPresent() && !pending && egress.get().running()) {
      byte[] acl = planned.observed().liveFiles().getOrDefault(egress.get().id(), Map.of()).get(SmokescreenConfig.ACL_PATH);
      live = acl == null ? "" : Hashing.sha256(acl);
    }
    String before = c.liveAcls.put(key, live);
    if (!live.equals(before)) allowlist.ifPresent(a -> c.enqueue(ResourceKey.of(a)));
  }

  private Optional<Duration> teardown(ResourceKey key, long generation) {
    GatewayPlanner.Plan plan = HostPlans.teardown(c.view(), key);
    if (!plan.actions().isEmpty()) log.info("tearing down {}: {} container(s) and network(s) to remove", key, plan.actions().size());
    for (Schedule.Stage stage : plan.schedule().stages()) {
      for (Context.Done d : c.run(key, stage)) {
        if (d.failure() != null) throw d.failure();
      }
    }
    if (!plan.actions().isEmpty()) return Optional.of(VERIFY_AFTER);
    log.info("{} is gone and everything it made is removed", key);
    c.liveAcls.remove(key);
    c.released(key, generation);
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
      // The id only of a container this deployment created (it has a verdict): status seeds ownership after a restart.
      boolean own = v != null && s.verdict() != null;
      states.add(new GatewayDeploymentStatus.Component(s.component(), s.containerName(), own ? v.id() : null,
          v == null ? null : v.image(), v == null ? "missing" : v.state(), v == null ? null : v.restartCount(), s.conforming()));
    }
    String componentsReady = ready + "/" + components.size();
    c.statuses.writeGateway(key, entry.generation(), outcome, states, componentsReady,
        c.hostHardening == null ? null : c.hostHardening.condition(key, entry.generation()).orElse(null));
  }
}
