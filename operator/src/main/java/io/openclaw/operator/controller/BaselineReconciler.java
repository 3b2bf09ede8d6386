package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.BaselinePlanner;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host baseline's full pass, the backstop behind the fast path: every container no GatewayDeployment created and
 * no SandboxPolicy governs is judged, breaches killed where the baseline is enforced and reported otherwise; orphans
 * of resources that are gone are removed where that was an explicit deletion, and reported otherwise.
 */
final class BaselineReconciler implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(BaselineReconciler.class);
  private final Context c;

  BaselineReconciler(Context context) {
    this.c = context;
  }

  @Override
  public Optional<Duration> reconcile(ResourceKey key) {
    BaselinePlanner.Plan plan = HostPlans.baseline(c.view());
    for (Action a : plan.actions()) c.execute(SandboxWork.HOST, a);
    for (Action a : plan.reported()) c.report(SandboxWork.HOST, a.containerId(), a);
    long breaches = plan.verdicts().stream().filter(v -> !v.violations().isEmpty()).count();
    if (breaches > 0) log.debug("host baseline: {} container(s) breach it", breaches);
    return Optional.empty();
  }
}
