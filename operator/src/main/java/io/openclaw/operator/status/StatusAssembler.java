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
 * the summary over every host's entry (each operator instance writes only its own entry). The summary is Ready only
 * when every host entry reports the current generation and is Ready there (README "Status").
 */
public final class StatusAssembler {
  /** Told when this host's outcome for a resource changes (state or reason): Events on condition transitions. */
  @FunctionalInterface
  public interface Transitions {
    /** {@code before} is null when this host never reported on the resource. */
    void changed(ResourceKey key, Outcome before, Outcome after);

    Transitions NONE = (key, before, after) -> { };
  }

  /** A SandboxPolicy's condition beside the trio: whether every sandbox keeps the policy (in report mode too). */
  public static final String CONFORMING = "Conforming";

  private final StatusWriter writer;
  private final String host;
  private final Clock clock;
  private volatile Transitions transitions = Transitions.NONE;

  public StatusAssembler(StatusWriter writer, String host, Clock clock) {
    this.writer = writer;
    this.host = host;
    this.clock = clock;
  }

  public String host() { return host; }

  public void transitions(Transitions listener) { this.transitions = listener; }

  public Optional<KindStatus<?>> previous(ResourceKey key) { return writer.read(key); }

  public boolean writeGateway(ResourceKey key, long generation, Outcome outcome, List<GatewayDeploymentStatus.Component> components,
      String componentsReady) {
    var previous = previous(key, GatewayDeploymentStatus.class);
    var prevHost = own(previous);
    noteTransition(key, prevHost, outcome);
    var entry = new GatewayDeploymentStatus.Host(host, generation,
        outcome.conditions(generation, prevHost.map(HostStatus::conditions).orElse(null), clock), components);
    List<GatewayDeploymentStatus.Host> hosts = merged(previous, entry);
    return writer.write(key, new GatewayDeploymentStatus(generation, summary(generation, hosts, previous), componentsReady, hosts));
  }

  /** {@code extra}: conditions beside the trio on this host's entry (Conforming, BreachRecurring); their times are kept here. */
  public boolean writePolicy(ResourceKey key, long generation, Outcome outcome, List<Condition> extra, int running, int conforming,
      long remediated, List<SandboxPolicyStatus.EnforcementAction> lastActions, List<SandboxPolicyStatus.ExecActivity> execActivity) {
    var previous = previous(key, SandboxPolicyStatus.class);
    var prevHost = own(previous);
    noteTransition(key, prevHost, outcome);
    List<Condition> before = prevHost.map(HostStatus::conditions).orElse(null);
    List<Condition> conditions = new ArrayList<>(outcome.conditions(generation, before, clock));
    String now = now();
    for (Condition c : extra) conditions.add(Outcome.condition(c.type(), c.holds(), c.reason(), c.message(), generation, before, now));
    var entry = new SandboxPolicyStatus.Host(host, generation, conditions, running, conforming, remediated, lastActions, execActivity);
    List<SandboxPolicyStatus.Host> hosts = merged(previous, entry);
    return writer.write(key, policyStatus(generation, hosts, previous));
  }

  public boolean writeAllowlist(ResourceKey key, long generation, Outcome outcome, int domains, String aclHash) {
    var previous = previous(key, EgressAllowlistStatus.class);
    var prevHost = own(previous);
    noteTransition(key, prevHost, outcome);
    var entry = new EgressAllowlistStatus.Host(host, generation,
        outcome.conditions(generation, prevHost.map(HostStatus::conditions).orElse(null), clock), aclHash);
    List<EgressAllowlistStatus.Host> hosts = merged(previous, entry);
    return writer.write(key, new EgressAllowlistStatus(generation, summary(generation, hosts, previous), domains, aclHash, hosts));
  }

  /**
   * This host no longer acts on the resource (its hostSelector stopped selecting it): its entry goes, and the summary
   * is recomputed over the others, so a host that left never holds the resource back from Ready.
   */
  public void withdraw(ResourceKey key, long generation) {
    Optional<KindStatus<?>> previous = previous(key);
    if (previous.isEmpty() || own(previous).isEmpty()) return;
    KindStatus<?> p = previous.get();
    List<? extends HostStatus> others = p.hosts().stream().filter(h -> !host.equals(h.name())).toList();
    KindStatus<?> rest;
    if (p instanceof GatewayDeploymentStatus g) {
      rest = new GatewayDeploymentStatus(generation, summary(generation, others, previous), g.componentsReady(), cast(others));
    } else if (p instanceof SandboxPolicyStatus) {
      rest = policyStatus(generation, cast(others), previous);
    } else if (p instanceof EgressAllowlistStatus a) {
      rest = new EgressAllowlistStatus(generation, summary(generation, others, previous), a.domains(), a.aclHash(), cast(others));
    } else {
      return;
    }
    writer.withdraw(key, rest);
  }

  /**
   * Whether the summary at the top no longer matches the hosts' entries as the cluster has them now: two hosts that
   * wrote at the same moment each summarised the other's older entry. The host that notices writes it again.
   */
  public boolean summaryStale(ResourceKey key, long generation) {
    Optional<KindStatus<?>> previous = previous(key);
    if (previous.isEmpty() || own(previous).isEmpty()) return false;
    KindStatus<?> p = previous.get();
    List<Condition> expected = p instanceof SandboxPolicyStatus s ? policyStatus(generation, s.hosts(), previous).conditions()
        : summary(generation, p.hosts(), previous);
    if (p.observedGeneration() != null && p.observedGeneration() > generation) return false; // written from a spec this host has yet to see
    return p.observedGeneration() == null || p.observedGeneration() < generation || !Outcome.same(expected, p.conditions());
  }

  private SandboxPolicyStatus policyStatus(long generation, List<SandboxPolicyStatus.Host> hosts, Optional<? extends KindStatus<?>> previous) {
    int total = hosts.stream().mapToInt(h -> h.running() == null ? 0 : h.running()).sum();
    List<Condition> conditions = new ArrayList<>(summary(generation, hosts, previous));
    conformingSummary(generation, hosts, previous).ifPresent(conditions::add);
    return new SandboxPolicyStatus(generation, conditions, total, hosts);
  }

  /** False if any current host entry finds a sandbox that breaks the policy, True if all say True; absent if none says. */
  private Optional<Condition> conformingSummary(long generation, List<SandboxPolicyStatus.Host> hosts, Optional<? extends KindStatus<?>> previous) {
    List<Condition> reported = new ArrayList<>();
    List<String> breaking = new ArrayList<>();
    for (SandboxPolicyStatus.Host h : hosts) {
      if (!current(h, generation)) continue;
      h.conditions().stream().filter(c -> c.type().equals(CONFORMING)).findFirst().ifPresent(c -> {
        reported.add(c);
        if (!c.holds()) breaking.add(h.name());
      });
    }
    if (reported.isEmpty()) return Optional.empty();
    Condition first = reported.stream().filter(c -> !c.holds()).findFirst().orElse(reported.get(0));
    String message = hosts.size() > 1 && !breaking.isEmpty() ? breaking + ": " + first.message() : first.message();
    return Optional.of(Outcome.condition(CONFORMING, breaking.isEmpty(), first.reason(), message, generation,
        previous.map(KindStatus::conditions).orElse(null), now()));
  }

  private void noteTransition(ResourceKey key, Optional<? extends HostStatus> prevHost, Outcome after) {
    Outcome before = prevHost.map(h -> Outcome.of(h.conditions())).orElse(null);
    if (before == null || before.state() != after.state() || !before.reason().equals(after.reason())) {
      transitions.changed(key, before, after);
    }
  }

  private <S extends KindStatus<?>> Optional<S> previous(ResourceKey key, Class<S> type) {
    return writer.read(key).filter(type::isInstance).map(type::cast);
  }

  @SuppressWarnings("unchecked")
  private <H extends HostStatus> Optional<H> own(Optional<? extends KindStatus<?>> previous) {
    return previous.flatMap(p -> p.hosts() == null ? Optional.empty()
        : (Optional<H>) p.hosts().stream().filter(h -> host.equals(h.name())).findFirst());
  }

  @SuppressWarnings("unchecked")
  private static <H extends HostStatus> List<H> cast(List<? extends HostStatus> hosts) { return (List<H>) hosts; }

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

  /** An entry describes the current spec when it reports this generation (or a newer one this host has yet to see). */
  private static boolean current(HostStatus h, long generation) {
    return h.observedGeneration() != null && h.observedGeneration() >= generation;
  }

  /**
   * The summary: Stalled if a host reporting the current generation is; else Reconciling (retrying) if one retries;
   * else Reconciling if one makes progress or a host has not reported the current generation yet; else Ready.
   */
  static Outcome summarize(long generation, List<? extends HostStatus> hosts) {
    if (hosts == null || hosts.isEmpty()) {
      return StatusReason.NO_HOST.outcome("no Docker host's operator acts on this resource (yet): none has reported on it");
    }
    List<? extends HostStatus> current = hosts.stream().filter(h -> current(h, generation)).toList();
    List<String> behind = hosts.stream().filter(h -> !current(h, generation))
        .map(h -> h.name() + " (generation " + h.observedGeneration() + ")").toList();
    Outcome worst = Outcome.summarize(current.stream().map(h -> Outcome.of(h.conditions())).toList());
    boolean several = hosts.size() > 1;
    if (worst.state() == Outcome.State.STALLED || worst.state() == Outcome.State.RETRYING
        || (worst.state() == Outcome.State.PROGRESSING && !current.isEmpty())) {
      if (!several) return worst;
      List<String> which = current.stream().filter(h -> Outcome.of(h.conditions()).state() == worst.state()).map(HostStatus::name).toList();
      String waiting = behind.isEmpty() ? "" : "; not yet reporting generation " + generation + ": " + String.join(", ", behind);
      return new Outcome(worst.state(), worst.reason(), which + ": " + worst.message() + waiting);
    }
    if (!behind.isEmpty()) {
      return StatusReason.WAITING_FOR_HOSTS.outcome("not yet reporting generation " + generation + ": " + String.join(", ", behind)
          + (current.isEmpty() ? "" : "; Ready on " + String.join(", ", current.stream().map(HostStatus::name).toList())));
    }
    return worst;
  }

  private List<Condition> summary(long generation, List<? extends HostStatus> hosts, Optional<? extends KindStatus<?>> previous) {
    return summarize(generation, hosts).conditions(generation, previous.map(KindStatus::conditions).orElse(null), clock);
  }

  private String now() { return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(); }
}
