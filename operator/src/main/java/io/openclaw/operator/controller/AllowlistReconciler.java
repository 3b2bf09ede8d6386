package io.openclaw.operator.controller;

import io.openclaw.operator.api.DomainRules;
import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.plan.render.SmokescreenConfig;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusReason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An EgressAllowlist is rendered into an ACL; the GatewayDeployment reconciler delivers it into the egress proxy.
 * This one reports whether every egress proxy using the list runs exactly the ACL rendered from its current spec.
 */
final class AllowlistReconciler implements Reconciler {
  private final Context c;

  AllowlistReconciler(Context context) {
    this.c = context;
  }

  @Override
  public Optional<Duration> reconcile(ResourceKey key) {
    DesiredStore.Entry entry = c.store.entry(key).orElse(null);
    if (entry == null) return Optional.empty();
    if (entry.deleting()) {
      c.released(key, entry.generation());
      return Optional.empty();
    }
    if (entry.inForce() == null) {
      c.statuses.writeAllowlist(key, entry.generation(), Refusal.of(entry), 0, null);
      return Optional.empty();
    }
    EgressAllowlist allowlist = entry.inForce().as(EgressAllowlist.class);
    String desired = SmokescreenConfig.aclHash(allowlist);
    List<GatewayDeployment> users = c.store.gatewaysUsing(key);
    List<String> behind = users.stream().map(ResourceKey::of).filter(g -> !desired.equals(c.liveAcls.get(g)))
        .map(g -> g.name()).toList();
    String warning = DomainRules.sizeWarning(allowlist.getSpec().domains()).map(w -> "; warning: " + w).orElse("")
        + DomainRules.allowRangesWarning(allowlist.getSpec().allowRanges()).map(w -> "; warning: " + w).orElse("");
    Outcome outcome;
    if (!entry.valid()) {
      outcome = Refusal.of(entry);
    } else if (users.isEmpty()) {
      outcome = Outcome.ready("rendered; no GatewayDeployment uses this list" + warning);
    } else if (!behind.isEmpty()) {
      outcome = StatusReason.PROGRESSING.outcome("the egress proxy of " + String.join(", ", behind) + " does not run this ACL yet" + warning);
    } else {
      List<String> modelDomains = allowlist.getSpec().modelDomains() == null ? List.of() : allowlist.getSpec().modelDomains();
      outcome = Outcome.ready(allowlist.getSpec().domains().size() + " domain(s)"
          + (modelDomains.isEmpty() ? "" : " and " + modelDomains.size() + " model domain(s) (the model proxy's alone)")
          + " enforced by the egress proxy of "
          + String.join(", ", users.stream().map(g -> g.getMetadata().getName()).toList()) + warning);
    }
    c.statuses.writeAllowlist(key, entry.generation(), outcome, allowlist.getSpec().domains().size(), desired);
    return behind.isEmpty() ? Optional.empty() : Optional.of(Duration.ofSeconds(5));
  }
}
