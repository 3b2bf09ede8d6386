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
    return writeGateway(key, generation, outcome, components, componentsReady, null);
  }

  /**
   * With {@code hostHardened} (the HostHardened condition of this host, or null when the deployment declares no
   * spec.hostHardening) on this host's entry; the top level then summarises it over every host's entry.
   */
  public boolean writeGateway(ResourceKey key, long generation, Outcome outcome, List<GatewayDeploymentStatus.Component> components,
      String componentsReady, Condition hostHardened) {
    var previous = previous(key, GatewayDeploymentStatus.class);
    var prevHost = own(previous);
    List<Condition> conditions = new ArrayList<>(outcome.conditions(generation, prevHost.map(HostStatus::conditions).orElse(null), clock));
    if (hostHardened != null) conditions.add(since(hostHardened, prevHost.map(HostStatus::conditions).orElse(List.of())));
    var entry = new GatewayDeploymentStatus.Host(host, generation, conditions, components);
    List<GatewayDeploymentStatus.Host> hosts = merged(previous, entry);
    List<Condition> top = new ArrayList<>(summary(generation, hosts, previous));
    extraSummary(hostHardened == null ? null : hostHardened.type(), generation, hosts, previous).ifPresent(top::add);
    return writer.write(key, new GatewayDeploymentStatus(generation, top, componentsReady, hosts));
  }

  /** The condition with its lastTransitionTime kept from {@code previous} while its status does not change. */
  private Condition since(Condition c, List<Condition> previous) {
    String at = previous.stream().filter(p -> p.type().equals(c.type()) && p.status().equals(c.status())).map(Condition::lastTransitionTime)
        .findFirst().orElse(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    return new Condition(c.type(), c.status(), c.reason(), c.message(), at, c.observedGeneration());
  }

  /** A condition beside the trio, over every host's entry: False if one says False, Unknown if one does, else True. */
  private Optional<Condition> extraSummary(String type, long generation, List<? extends HostStatus> hosts, Optional<? extends KindStatus<?>> previous) {
    if (type == null) return Optional.empty();
    List<java.util.Map.Entry<String, Condition>> found = new ArrayList<>();
    for (HostStatus h : hosts) {
      if (h.conditions() == null) continue;
      h.conditions().stream().filter(c -> c.type().equals(type)).findFirst().ifPresent(c -> found.add(java.util.Map.entry(h.name(), c)));
    }
    if (found.isEmpty()) return Optional.empty();
    for (String status : List.of("False", "Unknown", "True")) {
      List<java.util.Map.Entry<String, Condition>> matching = found.stream().filter(e -> e.getValue().status().equals(status)).toList();
      if (matching.isEmpty()) continue;
      Condition first = matching.get(0).getValue();
      String message = hosts.size() > 1 ? matching.stream().map(java.util.Map.Entry::getKey).toList() + ": " + first.message() : first.message();
      return Optional.of(since(new Condition(type, status, first.reason(), message, null, generation),
          previous.map(KindStatus::conditions).orElse(List.of())));
    }
    return Optional.empty();
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
