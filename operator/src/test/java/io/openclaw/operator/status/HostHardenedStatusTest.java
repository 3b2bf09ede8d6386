package io.openclaw.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The HostHardened condition beside the kstatus trio: on this host's entry, and summarised at the top over every host
 * (False wins over Unknown over True), keeping its transition time while its status holds.
 */
class HostHardenedStatusTest {
  private static final ResourceKey KEY = new ResourceKey("GatewayDeployment", "default", "openclaw");
  private final Map<ResourceKey, KindStatus<?>> store = new HashMap<>();
  private final StatusWriter writer = new StatusWriter() {
    @Override
    public boolean write(ResourceKey key, KindStatus<?> status) {
      store.put(key, status);
      return true;
    }

    @Override
    public Optional<KindStatus<?>> read(ResourceKey key) { return Optional.ofNullable(store.get(key)); }

    @Override
    public void remove(ResourceKey key) { store.remove(key); }
  };

  private static Condition hardened(String status, String reason, String message) {
    return new Condition("HostHardened", status, reason, message, null, 3L);
  }

  private GatewayDeploymentStatus status() { return (GatewayDeploymentStatus) store.get(KEY); }

  private static Condition of(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void theConditionIsOnTheHostsEntryAndAtTheTopBesideTheTrio() {
    StatusAssembler a = new StatusAssembler(writer, "host-a", Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));

    a.writeGateway(KEY, 3, Outcome.ready("all components run and conform"), List.of(), "5/5",
        hardened("False", "NotHardened", "2 of 16 host checks fail: host.ufw.cloudflare_only: ..."));

    assertThat(status().hosts().get(0).conditions()).extracting(Condition::type).containsExactly("Ready", "Reconciling", "Stalled", "HostHardened");
    Condition top = of(status().conditions(), "HostHardened");
    assertThat(top.status()).isEqualTo("False");
    assertThat(top.reason()).isEqualTo("NotHardened");
    assertThat(top.lastTransitionTime()).isEqualTo("2026-11-30T10:00:00Z");
    assertThat(of(status().conditions(), "Ready").status()).as("the host's hardening does not make the stack unready").isEqualTo("True");
  }

  @Test
  void aSecondHostsFailureWinsAtTheTopAndTheTimeHoldsWhileTheStatusDoes() {
    StatusAssembler a = new StatusAssembler(writer, "host-a", Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
    StatusAssembler b = new StatusAssembler(writer, "host-b", Clock.fixed(Instant.parse("2026-11-30T11:00:00Z"), ZoneOffset.UTC));
    a.writeGateway(KEY, 3, Outcome.ready("ok"), List.of(), "5/5", hardened("True", "Hardened", "16 host checks pass"));

    b.writeGateway(KEY, 3, Outcome.ready("ok"), List.of(), "5/5", hardened("False", "NotHardened", "1 of 16 host checks fail: daemon.icc: ..."));

    Condition top = of(status().conditions(), "HostHardened");
    assertThat(top.status()).isEqualTo("False");
    assertThat(top.message()).startsWith("[host-b]: 1 of 16");
    StatusAssembler later = new StatusAssembler(writer, "host-a", Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC));
    later.writeGateway(KEY, 3, Outcome.ready("ok"), List.of(), "5/5", hardened("True", "Hardened", "16 host checks pass"));
    Condition hostA = of(status().hosts().stream().filter(h -> h.name().equals("host-a")).findFirst().orElseThrow().conditions(), "HostHardened");
    assertThat(hostA.lastTransitionTime()).as("still True since the first write").isEqualTo("2026-11-30T10:00:00Z");
  }

  @Test
  void withoutHostHardeningThereIsNoCondition() {
    new StatusAssembler(writer, "host-a", Clock.systemUTC()).writeGateway(KEY, 1, Outcome.ready("ok"), List.of(), "5/5");

    assertThat(status().conditions()).extracting(Condition::type).containsExactly("Ready", "Reconciling", "Stalled");
  }
}
