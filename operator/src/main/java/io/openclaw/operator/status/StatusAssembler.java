package io.openclaw.operator.status;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.EgressAllowlistStatus;
import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.HostStatus;
import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicyStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds each kind's status from this host's outcome: this host's entry of {@code status.hosts[]} and, at the top,
 * the summary over every host's entry (each operator instance writes only its own entry).
 */
public final class StatusAssembler {
  private final StatusWriter writer;
  private final String host;
  private final Clock clock;

  public StatusAssembler(StatusWriter writer, String host, Clock clock) {
    this.writer = writer;
    this.host = host;
    this.clock = clock;
  }

  public String host() { return host; }

  public Optional<KindStatus<?>> previous(ResourceKey key) { return writer.read(key); }

  public boolean writeGateway(ResourceKey key, long generation, Outcome outcome, List<GatewayDeploymentStatus.Component> components,
      String componentsReady) {
    var previous = previous(key, GatewayDeploymentStatus.class);
    var prevHost = own(previous);
    var entry = new GatewayDeploymentStatus.Host(host, generation,
        outcome.conditions(generation, prevHost.map(HostStatus::conditions).orElse(null), clock), components);
    List<GatewayDeploymentStatus.Host> hosts = merged(previous, entry);
    return writer.write(key, new GatewayDeploymentStatus(generation, summary(generation, hosts, previous), componentsReady, hosts));
  }

  public boolean writePolicy(ResourceKey key, long generation, Outcome outcome, Condition recurring, int running, int conforming,
      long remediated, List<SandboxPolicyStatus.EnforcementAction> lastActions, List<SandboxPolicyStatus.ExecActivity> execActivity) {
    var previous = previous(key, SandboxPolicyStatus.class);
    var prevHost = own(previous);
    List<Condition> conditions = new ArrayList<>(outcome.conditions(generation, prevHost.map(HostStatus::conditions).orElse(null), clock));
    if (recurring != null) {
      String since = prevHost.map(HostStatus::conditions).orElse(List.of()).stream()
          .filter(c -> c.type().equals(recurring.type()) && c.status().equals(recurring.status())).map(Condition::lastTransitionTime)
          .findFirst().orElse(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      conditions.add(new Condition(recurring.type(), recurring.status(), recurring.reason(), recurring.message(), since, generation));
    }
    var entry = new SandboxPolicyStatus.Host(host, generation, conditions, running, conforming, remediated, lastActions, execActivity);
    List<SandboxPolicyStatus.Host> hosts = merged(previous, entry);
    int total = hosts.stream().mapToInt(h -> h.running() == null ? 0 : h.running()).sum();
    return writer.write(key, new SandboxPolicyStatus(generation, summary(generation, hosts, previous), total, hosts));
  }

  public boolean writeAllowlist(ResourceKey key, long generation, Outcome outcome, int domains, String aclHash) {
    var previous = previous(key, EgressAllowlistStatus.class);
    var prevHost = own(previous);
    var entry = new EgressAllowlistStatus.Host(host, generation,
        outcome.conditions(generation, prevHost.map(HostStatus::conditions).orElse(null), clock), aclHash);
    List<EgressAllowlistStatus.Host> hosts = merged(previous, entry);
    return writer.write(key, new EgressAllowlistStatus(generation, summary(generation, hosts, previous), domains, aclHash, hosts));
  }

  private <S extends KindStatus<?>> Optional<S> previous(ResourceKey key, Class<S> type) {
    return writer.read(key).filter(type::isInstance).map(type::cast);
  }

  @SuppressWarnings("unchecked")
  private <H extends HostStatus> Optional<H> own(Optional<? extends KindStatus<?>> previous) {
    return previous.flatMap(p -> p.hosts() == null ? Optional.empty()
        : (Optional<H>) p.hosts().stream().filter(h -> host.equals(h.name())).findFirst());
  }

  /** Other hosts' entries as last seen, with this host's replaced. */
  @SuppressWarnings("unchecked")
  private <H extends HostStatus> List<H> merged(Optional<? extends KindStatus<?>> previous, H entry) {
    List<H> hosts = new ArrayList<>();
    previous.ifPresent(p -> {
      if (p.hosts() != null) p.hosts().stream().filter(h -> !host.equals(h.name())).forEach(h -> hosts.add((H) h));
    });
    hosts.add(entry);
    hosts.sort(java.util.Comparator.comparing(HostStatus::name));
    return hosts;
  }

  private List<Condition> summary(long generation, List<? extends HostStatus> hosts, Optional<? extends KindStatus<?>> previous) {
    List<Outcome> outcomes = hosts.stream().map(h -> Outcome.of(h.conditions())).toList();
    Outcome worst = Outcome.summarize(outcomes);
    Outcome summary = worst;
    if (hosts.size() > 1 && worst.state() != Outcome.State.READY) {
      String which = hosts.stream().filter(h -> Outcome.of(h.conditions()).state() == worst.state()).map(HostStatus::name).toList().toString();
      summary = new Outcome(worst.state(), worst.reason(), which + ": " + worst.message());
    }
    return summary.conditions(generation, previous.map(KindStatus::conditions).orElse(null), clock);
  }
}
