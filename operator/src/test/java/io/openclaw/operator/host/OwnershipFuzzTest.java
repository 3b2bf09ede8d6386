package io.openclaw.operator.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.testing.Containers;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Fuzz;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile containers on the Docker host, next to a declared stack: labels, names and environment that are huge,
 * binary, or look like the operator's own (its label keys and values exactly, or with look-alike letters, trailing
 * spaces, other case; a component's exact name; a forged creation nonce). Ownership is by recorded container id only
 * (DESIGN.md §5), so the planners never take such a container for a component, never adopt it, and never act on it
 * — except what the rules say for a foreign container: the enforced host baseline kills and removes one that breaches
 * it, and nothing else touches it here (none is on the stack's internal network or selected as a sandbox).
 */
class OwnershipFuzzTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final ResourceKey GATEWAY = new ResourceKey("GatewayDeployment", "default", "openclaw");
  private static final List<String> COMPONENT_NAMES = List.of("openclaw-gateway", "openclaw-socket-proxy", "openclaw-model-proxy",
      "openclaw-egress-proxy", "openclaw-cache");
  private static final List<String> OUR_KEYS = List.of(Labels.MANAGED_BY, Labels.OWNER, Labels.COMPONENT, Labels.SPEC_HASH, Ownership.CREATION_LABEL);

  private static DesiredStore store() {
    GatewayDeployment g = Fixtures.resource(GatewayDeployment.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata: {name: openclaw}
        spec:
          gateway: {image: openclaw:1, user: "1000:1000", stateDir: /var/lib/openclaw}
          socketProxy: {image: proxy:1}
          modelProxy: {image: litellm:1}
          egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
          foreignContainers: kill
          hostBaseline: {enforcement: enforce}
        """);
    SandboxPolicy p = Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: sandboxes}
        spec: {gatewayRef: {name: openclaw}, enforcement: enforce, maxConcurrent: 1}
        """);
    DesiredStore store = new DesiredStore();
    store.batch(b -> {
      b.put(ResourceKey.of(g), Manifest.fromCluster(g), 1, List.of());
      b.put(ResourceKey.of(p), Manifest.fromCluster(p), 1, List.of());
    });
    store.markSynced();
    return store;
  }

  /** A look-alike of {@code s}: a letter swapped for a Cyrillic or Greek twin, a trailing or zero-width space, other case. */
  private static String lookAlike(String s, Fuzz fuzz) {
    return switch (fuzz.random.nextInt(7)) {
      case 0 -> s + " ";
      case 1 -> " " + s;
      case 2 -> s + "\u200b";
      case 3 -> s.toUpperCase(java.util.Locale.ROOT);
      case 4 -> s.replaceFirst("o", "\u043e"); // Cyrillic o
      case 5 -> s.replaceFirst("a", "\u0430").replaceFirst("e", "\u0435"); // Cyrillic a, e
      default -> s.replace('.', '\u2024').replace('/', '\u2215'); // one-dot leader, division slash
    };
  }

  private static String hostileText(Fuzz fuzz) {
    return switch (fuzz.random.nextInt(4)) {
      case 0 -> "x".repeat(fuzz.random.nextInt(100_000));
      case 1 -> fuzz.junk(300);
      case 2 -> new String(randomBytes(fuzz, 200), java.nio.charset.StandardCharsets.ISO_8859_1);
      default -> fuzz.pick(Labels.MANAGER, GATEWAY.toString(), "gateway", "socketProxy", "modelProxy", "egressProxy", "1",
          "00000000-0000-0000-0000-000000000000");
    };
  }

  private static byte[] randomBytes(Fuzz fuzz, int max) {
    byte[] b = new byte[fuzz.random.nextInt(max + 1)];
    fuzz.random.nextBytes(b);
    return b;
  }

  private static ContainerView hostile(Fuzz fuzz, int i, boolean breaching) {
    String id = HexFormat.of().formatHex(randomBytes32(fuzz));
    String name = switch (fuzz.random.nextInt(5)) {
      case 0 -> fuzz.pick(COMPONENT_NAMES); // a component's exact name: taken, but not by us
      case 1 -> lookAlike(fuzz.pick(COMPONENT_NAMES), fuzz);
      case 2 -> "h" + i + "-" + hostileText(fuzz);
      default -> "hostile-" + i;
    };
    Containers.Builder b = Containers.container(id, name).state(fuzz.pick("running", "created", "exited", "paused", "restarting", "dead"))
        .created(NOW.minusSeconds(fuzz.random.nextInt(1_000_000)));
    for (int n = fuzz.random.nextInt(8); n > 0; n--) {
      String key = fuzz.chance(0.5) ? fuzz.pick(OUR_KEYS) : fuzz.chance(0.5) ? lookAlike(fuzz.pick(OUR_KEYS), fuzz) : hostileText(fuzz);
      b.label(key, fuzz.chance(0.5) ? fuzz.pick(Labels.MANAGER, GATEWAY.toString(), "gateway", "modelProxy", "deadbeef") : hostileText(fuzz));
    }
    // The sandbox selector's look-alikes select nothing (the exact label would make it a sandbox, judged by its policy).
    if (fuzz.chance(0.3)) b.label(lookAlike(Labels.SANDBOX, fuzz), "1");
    if (fuzz.chance(0.3)) b.label(Labels.SANDBOX, lookAlike("1", fuzz).isBlank() ? "2" : "1 ");
    List<String> env = new ArrayList<>();
    for (int n = fuzz.random.nextInt(4); n > 0; n--) env.add(hostileText(fuzz) + "=" + hostileText(fuzz));
    b.env(env);
    if (breaching) {
      switch (fuzz.random.nextInt(3)) {
        case 0 -> b.privileged(true);
        case 1 -> b.bind("/var/run/docker.sock", "/var/run/docker.sock", true);
        default -> b.capAdd("SYS_ADMIN");
      }
    }
    return b.build();
  }

  /** Text for a failure message: at most 60 characters, anything unprintable as \\uXXXX. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.substring(0, Math.min(60, s.length())).toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return out.toString();
  }

  private static byte[] randomBytes32(Fuzz fuzz) {
    byte[] b = new byte[32];
    fuzz.random.nextBytes(b);
    return b;
  }

  @Test
  void hostileContainersAreNeverOwnedAndOnlyTheBaselineActsOnTheBreachingOnes() {
    DesiredStore store = store();
    try (Fuzz fuzz = Fuzz.target("planners: hostile containers beside a stack", 1000)) {
      for (int i = 0; i < fuzz.count(); i++) {
        Map<String, ContainerView> host = new LinkedHashMap<>();
        Map<String, Boolean> breaching = new LinkedHashMap<>();
        for (int n = 1 + fuzz.random.nextInt(6); n > 0; n--) {
          boolean breach = fuzz.chance(0.3);
          ContainerView c = hostile(fuzz, n, breach);
          if (host.values().stream().anyMatch(x -> x.name().equals(c.name()))) continue; // names are unique on a host
          host.put(c.id(), c);
          breaching.put(c.id(), breach);
        }
        // A create of ours in flight: its nonce is pending; a hostile container carrying anything else is not adopted.
        Ownership ownership = Ownership.none();
        String nonce = ownership.beginCreate(GATEWAY, "openclaw-cache");
        HostView view = new HostView(store, SecretReader.LOCAL, new HostSnapshot(Map.copyOf(host), Map.of()), (id, path) -> java.util.Optional.empty(),
            ownership, SandboxPlanner.ExecActivity.NONE, Set.of(), new Admitted(Set.of(), Set.of()), HostCapabilities.FULL, PathCanon.LEXICAL,
            p -> true, false, NOW);
        String what = host.values().stream().map(c -> printable(c.name()) + " " + c.labels().keySet().stream().map(OwnershipFuzzTest::printable).toList()
            + " breaching=" + breaching.get(c.id())).toList().toString();
        HostPlans.All plans = fuzz.run(() -> HostPlans.all(view), () -> what);

        assertThat(ownership.all()).as("adopted: %s", what).isEmpty();
        for (ContainerView c : host.values()) {
          assertThat(HostPlans.governing(view, c.labels())).as("selected as a sandbox by a look-alike: %s", c.labels().keySet()).isEmpty();
        }
        for (Action a : plans.actions()) {
          String target = a.containerId();
          if (target == null || !host.containsKey(target)) continue;
          Rule rule = java.util.Arrays.stream(Rule.values()).filter(r -> r.checkId.equals(a.reason().code())).findFirst().orElse(null);
          assertThat(breaching.get(target)).as("%s on a hostile container that breaches nothing: %s", a.describe(), what).isTrue();
          assertThat(rule).as(a.describe()).isNotNull();
          assertThat(rule.scope).as("%s: only the baseline acts on a foreign container here (%s)", a.describe(), what).isEqualTo(Rule.Scope.BASELINE);
          assertThat(a).as(a.describe()).isInstanceOfAny(Action.KillContainer.class, Action.RemoveContainer.class);
        }
        for (var g : plans.gateways().values()) {
          if (!(g instanceof HostPlans.GatewayResult.Planned p)) continue;
          assertThat(p.plan().components()).as("a hostile container taken for a conforming component: %s", what)
              .noneMatch(component -> component.container() != null && host.containsKey(component.container().id()) && component.conforming());
          // A hostile container holding a component's name is a conflict, said as one.
          Set<String> desired = new java.util.HashSet<>();
          p.desired().containers().forEach(spec -> desired.add(spec.name()));
          boolean nameTaken = host.values().stream().anyMatch(c -> desired.contains(c.name()));
          if (nameTaken) assertThat(p.plan().conflicts()).as(what).anyMatch(x -> x.contains("did not create"));
        }
        assertThat(nonce).isNotBlank();
      }
    }
  }
}
