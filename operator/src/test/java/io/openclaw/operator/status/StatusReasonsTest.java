package io.openclaw.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.EgressAllowlistStatus;
import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.testing.Fixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The status rules of README "Status": each reason's condition trio (kstatus: Stalled only for what a person must
 * fix, everything retried Reconciling), and the summary over hosts, Ready only once every host reports the current
 * generation. StatusReasonsIT shows what Argo CD and kstatus make of each.
 */
class StatusReasonsTest {
  private static final ResourceKey ALLOWLIST = new ResourceKey("EgressAllowlist", "ns", "llm");
  private static final ResourceKey POLICY = new ResourceKey("SandboxPolicy", "ns", "sandboxes");

  @Test
  void eachReasonGivesItsConditionTrioAndReadsBackAsItself() {
    System.out.println(StatusTable.HEADER);
    for (StatusTable.Row row : StatusTable.rows()) {
      System.out.println(row.markdown());
      List<Condition> c = row.outcome().conditions(3, null, StatusTable.CLOCK);
      Condition ready = find(c, Condition.READY);
      Condition reconciling = find(c, Condition.RECONCILING);
      Condition stalled = find(c, Condition.STALLED);
      String word = row.reason().word;
      boolean stalls = row.reason().handling == StatusReason.Handling.STALLED
          || row.reason().handling == StatusReason.Handling.MISSING && row.pastGrace();
      switch (row.reason().handling) {
        case READY -> {
          assertThat(ready.status()).as(word).isEqualTo("True");
          assertThat(reconciling.status()).as(word).isEqualTo("False");
          assertThat(stalled.status()).as(word).isEqualTo("False");
        }
        case PROGRESSING -> {
          assertThat(ready.status() + " " + ready.reason()).as(word).isEqualTo("False " + word);
          assertThat(reconciling.status() + " " + reconciling.reason()).as(word).isEqualTo("True " + word);
          assertThat(stalled.status()).as(word).isEqualTo("False");
        }
        case RETRIED, MISSING -> {
          assertThat(ready.status() + " " + ready.reason()).as(word + ": Ready names the error").isEqualTo("False " + word);
          if (stalls) {
            assertThat(reconciling.status()).as(word).isEqualTo("False");
            assertThat(stalled.status() + " " + stalled.reason()).as(word + " past the grace period").isEqualTo("True " + word);
          } else {
            assertThat(reconciling.status() + " " + reconciling.reason()).as(word).isEqualTo("True " + Outcome.RETRY_REASON);
            assertThat(reconciling.message()).as(word + ": the error in the message").contains("sample message for " + word);
            assertThat(stalled.status()).as(word + ": retried, so not Stalled").isEqualTo("False");
          }
        }
        case STALLED -> {
          assertThat(ready.status() + " " + ready.reason()).as(word).isEqualTo("False " + word);
          assertThat(reconciling.status()).as(word).isEqualTo("False");
          assertThat(stalled.status() + " " + stalled.reason()).as(word).isEqualTo("True " + word);
        }
        default -> throw new AssertionError(row.reason().handling);
      }
      Outcome back = Outcome.of(c);
      assertThat(back.state()).as(word + " read back").isEqualTo(row.outcome().state());
      assertThat(back.reason()).as(word + " read back").isEqualTo(row.outcome().reason());
    }
  }

  @Test
  void theErrorsThatUsedToStallAreRetriedNow() {
    for (StatusReason r : List.of(StatusReason.ACTION_FAILED, StatusReason.IMAGE_UNAVAILABLE, StatusReason.SECRET_UNAVAILABLE)) {
      assertThat(r.outcome("x").state()).as(r.word).isEqualTo(Outcome.State.RETRYING);
    }
    assertThat(StatusReason.NON_CONFORMING.outcome("report mode, nothing is changed: 1 sandbox(es) break the policy").state())
        .as("report mode finding breaches").isEqualTo(Outcome.State.READY);
  }

  @Test
  void theReadmeShowsThisVeryTable() throws Exception {
    String readme = Files.readString(Fixtures.repoRoot().resolve("README.md"));
    List<String> expected = new ArrayList<>(List.of(StatusTable.HEADER, "|---|---|---|---|---|---|---|"));
    StatusTable.rows().forEach(r -> expected.add(r.markdown()));
    int at = readme.indexOf(StatusTable.HEADER);
    assertThat(at).as("README.md has the table of status reasons").isNotNegative();
    List<String> shown = readme.substring(at).lines().takeWhile(l -> l.startsWith("|")).toList();
    assertThat(shown).as("README.md's table of status reasons (regenerate it from StatusTable)").isEqualTo(expected);
  }

  // ---- the summary over hosts

  @Test
  void theSummaryIsReadyOnlyWhenEveryHostReportsTheCurrentGeneration() {
    Memory memory = new Memory();
    StatusAssembler a = new StatusAssembler(memory, "host-a", StatusTable.CLOCK);
    StatusAssembler b = new StatusAssembler(memory, "host-b", StatusTable.CLOCK);
    a.writeAllowlist(ALLOWLIST, 1, Outcome.ready("1 domain(s)"), 1, "h1");
    b.writeAllowlist(ALLOWLIST, 1, Outcome.ready("1 domain(s)"), 1, "h1");
    assertThat(summary(memory).state()).isEqualTo(Outcome.State.READY);

    a.writeAllowlist(ALLOWLIST, 2, Outcome.ready("2 domain(s)"), 2, "h2"); // host-b still at 1
    Outcome waiting = summary(memory);
    assertThat(waiting.state()).isEqualTo(Outcome.State.PROGRESSING);
    assertThat(waiting.reason()).isEqualTo(StatusReason.WAITING_FOR_HOSTS.word);
    assertThat(waiting.message()).contains("host-b (generation 1)").contains("Ready on host-a");
    assertThat(memory.status.get(ALLOWLIST).observedGeneration()).isEqualTo(2);

    b.writeAllowlist(ALLOWLIST, 2, Outcome.ready("2 domain(s)"), 2, "h2");
    assertThat(summary(memory).state()).isEqualTo(Outcome.State.READY);
  }

  @Test
  void anEntryOfAnOlderGenerationCountsAsBehindWhateverItSaid() {
    Memory memory = new Memory();
    StatusAssembler a = new StatusAssembler(memory, "host-a", StatusTable.CLOCK);
    StatusAssembler b = new StatusAssembler(memory, "host-b", StatusTable.CLOCK);
    b.writeAllowlist(ALLOWLIST, 1, StatusReason.INVALID_SPEC.outcome("spec.domains[0]: bad"), 0, null);
    a.writeAllowlist(ALLOWLIST, 2, Outcome.ready("1 domain(s)"), 1, "h");
    assertThat(summary(memory).reason()).as("host-b's Stalled was about generation 1").isEqualTo(StatusReason.WAITING_FOR_HOSTS.word);

    a.writeAllowlist(ALLOWLIST, 2, StatusReason.ACTION_FAILED.outcome("restart egress-proxy failed"), 1, "h");
    Outcome retrying = summary(memory);
    assertThat(retrying.state()).as("a current host's error comes first").isEqualTo(Outcome.State.RETRYING);
    assertThat(retrying.message()).startsWith("[host-a]: restart egress-proxy failed").contains("host-b (generation 1)");

    b.writeAllowlist(ALLOWLIST, 2, StatusReason.CONFLICT.outcome("taken"), 0, null);
    assertThat(summary(memory).state()).as("a current host stalled: the resource is").isEqualTo(Outcome.State.STALLED);
  }

  @Test
  void aHostThatLeavesWithdrawsItsEntryAndTheSummaryStandsOnTheOthers() {
    Memory memory = new Memory();
    StatusAssembler a = new StatusAssembler(memory, "host-a", StatusTable.CLOCK);
    StatusAssembler b = new StatusAssembler(memory, "host-b", StatusTable.CLOCK);
    a.writeGateway(new ResourceKey("GatewayDeployment", "ns", "gw"), 1, Outcome.ready("ok"), List.of(), "5/5");
    b.writeGateway(new ResourceKey("GatewayDeployment", "ns", "gw"), 1, StatusReason.ACTION_FAILED.outcome("no"), List.of(), "4/5");
    b.withdraw(new ResourceKey("GatewayDeployment", "ns", "gw"), 2);
    KindStatus<?> s = memory.status.get(new ResourceKey("GatewayDeployment", "ns", "gw"));
    assertThat(s.hosts()).extracting(h -> h.name()).containsExactly("host-a");
    assertThat(Outcome.of(s.conditions()).reason()).as("host-a at generation 1 of 2").isEqualTo(StatusReason.WAITING_FOR_HOSTS.word);
  }

  @Test
  void aSummaryWrittenFromAnOlderEntryOfAnotherHostIsSeenAsStale() {
    Memory memory = new Memory();
    StatusAssembler a = new StatusAssembler(memory, "host-a", StatusTable.CLOCK);
    StatusAssembler b = new StatusAssembler(memory, "host-b", StatusTable.CLOCK);
    b.writeAllowlist(ALLOWLIST, 1, Outcome.ready("ok"), 1, "h");
    a.writeAllowlist(ALLOWLIST, 2, Outcome.ready("ok"), 1, "h");
    assertThat(a.summaryStale(ALLOWLIST, 2)).isFalse();
    // host-b's entry for generation 2 arrives without the summary being written again (two writers at once).
    EgressAllowlistStatus s = (EgressAllowlistStatus) memory.status.get(ALLOWLIST);
    List<EgressAllowlistStatus.Host> hosts = s.hosts().stream().map(h -> h.name().equals("host-b")
        ? new EgressAllowlistStatus.Host("host-b", 2L, Outcome.ready("ok").conditions(2, null, StatusTable.CLOCK), "h") : h).toList();
    memory.status.put(ALLOWLIST, new EgressAllowlistStatus(s.observedGeneration(), s.conditions(), s.domains(), s.aclHash(), hosts));
    assertThat(a.summaryStale(ALLOWLIST, 2)).as("the summary still waits for host-b").isTrue();
    a.writeAllowlist(ALLOWLIST, 2, Outcome.ready("ok"), 1, "h");
    assertThat(summary(memory).state()).isEqualTo(Outcome.State.READY);
    assertThat(a.summaryStale(ALLOWLIST, 2)).isFalse();
    assertThat(a.summaryStale(ALLOWLIST, 1)).as("a status of a newer spec than this host has seen is not its to judge").isFalse();
  }

  @Test
  void aPolicyInReportModeIsReadyAndItsSummarySaysWhichHostFindsBreaches() {
    Memory memory = new Memory();
    StatusAssembler a = new StatusAssembler(memory, "host-a", StatusTable.CLOCK);
    StatusAssembler b = new StatusAssembler(memory, "host-b", StatusTable.CLOCK);
    Condition fine = new Condition(StatusAssembler.CONFORMING, "True", "Conforming", "2 sandbox(es) running, all keep the policy", null, 1L);
    Condition breach = new Condition(StatusAssembler.CONFORMING, "False", StatusReason.NON_CONFORMING.word,
        "1 sandbox(es) break the policy: sbx (sandbox.mounts)", null, 1L);
    a.writePolicy(POLICY, 1, Outcome.ready("2 running"), List.of(fine), 2, 2, 0, List.of(), List.of());
    b.writePolicy(POLICY, 1, StatusReason.NON_CONFORMING.outcome("report mode, nothing is changed: 1 sandbox(es) break the policy"),
        List.of(breach), 1, 0, 0, List.of(), List.of());
    SandboxPolicyStatus s = (SandboxPolicyStatus) memory.status.get(POLICY);
    assertThat(Outcome.of(s.conditions()).state()).isEqualTo(Outcome.State.READY);
    Condition conforming = find(s.conditions(), StatusAssembler.CONFORMING);
    assertThat(conforming.status()).isEqualTo("False");
    assertThat(conforming.reason()).isEqualTo("NonConforming");
    assertThat(conforming.message()).startsWith("[host-b]: ").contains("sandbox.mounts");
    assertThat(s.running()).isEqualTo(3);
  }

  @Test
  void aTransitionIsToldOnceWhenThisHostsOutcomeChanges() {
    Memory memory = new Memory();
    StatusAssembler a = new StatusAssembler(memory, "host-a", StatusTable.CLOCK);
    List<String> told = new ArrayList<>();
    a.transitions((key, before, after) -> told.add((before == null ? "-" : before.reason()) + " -> " + after.reason()));
    a.writeAllowlist(ALLOWLIST, 1, StatusReason.PROGRESSING.outcome("not yet"), 1, "h");
    a.writeAllowlist(ALLOWLIST, 1, Outcome.ready("ok"), 1, "h");
    a.writeAllowlist(ALLOWLIST, 1, Outcome.ready("ok, said differently"), 1, "h");
    a.writeAllowlist(ALLOWLIST, 1, StatusReason.ACTION_FAILED.outcome("refused"), 1, "h");
    a.writeAllowlist(ALLOWLIST, 1, StatusReason.ACTION_FAILED.outcome("refused again"), 1, "h");
    a.writeAllowlist(ALLOWLIST, 1, Outcome.ready("ok"), 1, "h");
    assertThat(told).containsExactly("- -> Progressing", "Progressing -> Ready", "Ready -> ActionFailed", "ActionFailed -> Ready");
  }

  private static Outcome summary(Memory memory) { return Outcome.of(memory.status.get(ALLOWLIST).conditions()); }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow(() -> new AssertionError("no " + type));
  }

  /** A status store shared by several hosts' assemblers, as the cluster is. */
  private static final class Memory implements StatusWriter {
    final Map<ResourceKey, KindStatus<?>> status = new HashMap<>();

    @Override
    public boolean write(ResourceKey key, KindStatus<?> s) {
      status.put(key, s);
      return true;
    }

    @Override
    public Optional<KindStatus<?>> read(ResourceKey key) { return Optional.ofNullable(status.get(key)); }

    @Override
    public void remove(ResourceKey key) { status.remove(key); }

    @Override
    public void withdraw(ResourceKey key, KindStatus<?> rest) { status.put(key, rest); }
  }
}
