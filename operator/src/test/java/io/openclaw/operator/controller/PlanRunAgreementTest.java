package io.openclaw.operator.controller;

import static io.openclaw.operator.testing.Containers.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.EgressAllowlist;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.audit.Audit;
import io.openclaw.operator.audit.Finding;
import io.openclaw.operator.audit.Verdicts;
import io.openclaw.operator.cli.PlanOutput;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.ContainerSpec;
import io.openclaw.operator.plan.GatewayStack;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.NetworkSpec;
import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DesiredState;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.status.StatusAssembler;
import io.openclaw.operator.status.StatusWriter;
import io.openclaw.operator.testing.Containers;
import io.openclaw.operator.testing.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code plan}, {@code run} and {@code audit} agree on generated hosts: random mixes of conforming, breaching, excess and
 * idle sandboxes, foreign containers (some breaking the host baseline), drifted, stopped, paused and missing
 * components, drifted networks, in enforce and report modes. For each host, the actions {@code plan} prints are exactly
 * the actions a full pass of {@code run} carries out (through a recording effector, no Docker), and {@code audit} flags
 * exactly the containers those actions, carried out or only reported, touch.
 */
class PlanRunAgreementTest {
  private static final int HOSTS = 1000;
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String STATE_DIR = "/var/lib/openclaw";

  @org.junit.jupiter.api.BeforeAll
  static void quiet() {
    // A thousand hosts' worth of action lines say nothing the assertions do not.
    org.apache.logging.log4j.core.config.Configurator.setLevel("actions", org.apache.logging.log4j.Level.ERROR);
  }

  @org.junit.jupiter.api.AfterAll
  static void loud() { org.apache.logging.log4j.core.config.Configurator.setLevel("actions", org.apache.logging.log4j.Level.INFO); }

  @Test
  void planPrintsExactlyWhatRunCarriesOutAndAuditFlagsExactlyWhatTheyTouchOnAThousandGeneratedHosts() {
    Random random = new Random(20261130);
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < HOSTS; i++) {
      GeneratedHost host = GeneratedHost.generate(random, i);
      HostView view = host.view();
      HostPlans.All plans = HostPlans.all(view);

      List<String> printed = PlanOutput.printedActions(host.store.manifests(), plans);
      Recording run = host.runFullPass();
      assertThat(run.executed).as("host %d (%s): what run carries out is what plan prints", i, host.description)
          .containsExactlyInAnyOrderElementsOf(printed);

      Set<String> touched = new HashSet<>();
      run.executedActions.forEach(a -> name(host, a).ifPresent(touched::add));
      run.reportedActions.forEach(a -> name(host, a).ifPresent(touched::add));
      Verdicts verdicts = new Verdicts();
      Audit.judge(plans, view, new DesiredState(host.store, List.of(), "generated", SecretReader.LOCAL), true, verdicts);
      Set<String> flagged = new HashSet<>();
      for (Finding f : verdicts.findings()) {
        boolean actedOn = Rule.byCheckId(f.checkId()).map(r -> r.remedy != Rule.Remedy.NONE).orElse(false);
        if (actedOn && host.containerNames().contains(f.object())) flagged.add(f.object());
      }
      assertThat(flagged).as("host %d (%s): audit flags exactly the containers run acts on or reports", i, host.description)
          .containsExactlyInAnyOrderElementsOf(touched);
      printed.forEach(p -> seen.merge(p.substring(0, p.indexOf(' ')), 1, Integer::sum));
      run.reportedActions.forEach(a -> seen.merge("reported " + a.type(), 1, Integer::sum));
    }
    System.out.println("[agreement] " + HOSTS + " generated hosts; actions by type over all of them: " + seen);
    assertThat(seen.keySet()).as("the generator reaches every kind of decision").contains("create_container", "recreate_container",
        "update_limits", "kill_container", "remove_container", "start_container", "unpause_container", "deliver_files", "connect_network",
        "disconnect_network", "kill_foreign_container", "create_network", "recreate_network", "reported kill_container",
        "reported disconnect_network");
  }

  /** The existing container an action touches, by name. */
  private static Optional<String> name(GeneratedHost host, Action a) {
    return Optional.ofNullable(a.containerId()).map(id -> host.containers.get(id)).map(ContainerView::name);
  }

  /** What a full pass of run did: carried out (as plan prints them) and only reported. */
  /** As the controller's: a stage's independent actions run at once here too. */
  private static final java.util.concurrent.ExecutorService ACTION_POOL = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "action");
    t.setDaemon(true);
    return t;
  });

  private static final class Recording implements Effector {
    final List<String> executed = new ArrayList<>();
    final List<Action> executedActions = new ArrayList<>();
    final List<Action> reportedActions = new ArrayList<>();

    // Synchronized: a stage's chains are carried out at once on the action pool.
    @Override
    public synchronized void apply(ResourceKey owner, Action action) {
      executed.add(PlanOutput.line(action));
      executedActions.add(action);
    }

    @Override
    public synchronized void reported(ResourceKey owner, Action action) { reportedActions.add(action); }
  }

  /** One generated Docker host with its declared resources. */
  private static final class GeneratedHost {
    final DesiredStore store = new DesiredStore();
    final Map<String, ContainerView> containers = new LinkedHashMap<>();
    final Map<String, NetworkView> networks = new LinkedHashMap<>();
    final Map<String, Map<String, byte[]>> files = new HashMap<>();
    final Ownership ownership = Ownership.none();
    final Map<String, Instant> lastExec = new HashMap<>();
    final Set<String> execRunning = new HashSet<>();
    boolean removeOrphans;
    String description = "";

    static GeneratedHost generate(Random r, int n) {
      GeneratedHost h = new GeneratedHost();
      String foreign = pick(r, "disconnect", "kill", "report");
      String baseline = pick(r, "report", "enforce");
      String enforcement = pick(r, "enforce", "report");
      int cap = 1 + r.nextInt(4);
      GatewayDeployment gwd = Fixtures.resource(GatewayDeployment.class, """
          apiVersion: hardening.openclaw.io/v1alpha1
          kind: GatewayDeployment
          metadata: {name: openclaw}
          spec:
            gateway: {image: openclaw:1, user: "1000:1000", stateDir: %s}
            socketProxy: {image: proxy:1}
            modelProxy: {image: litellm:1}
            cache: {image: redis:7}
            egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}, user: "65534:65534"}
            foreignContainers: %s
            hostBaseline: {enforcement: %s}
          """.formatted(STATE_DIR, foreign, baseline));
      SandboxPolicy policy = Fixtures.resource(SandboxPolicy.class, """
          apiVersion: hardening.openclaw.io/v1alpha1
          kind: SandboxPolicy
          metadata: {name: sandboxes}
          spec: {gatewayRef: {name: openclaw}, enforcement: %s, maxConcurrent: %d, prune: {idleHours: 2, maxAgeDays: 1}}
          """.formatted(enforcement, cap));
      EgressAllowlist allowlist = Fixtures.resource(EgressAllowlist.class, """
          apiVersion: hardening.openclaw.io/v1alpha1
          kind: EgressAllowlist
          metadata: {name: llm}
          spec: {domains: ["*.openai.com"]}
          """);
      h.store.batch(b -> {
        for (var res : List.of(gwd, policy, allowlist)) b.put(ResourceKey.of(res), Manifest.fromCluster(res), 1, List.of());
      });
      h.store.markSynced();
      h.removeOrphans = r.nextBoolean();
      h.description = "foreign " + foreign + ", baseline " + baseline + ", policy " + enforcement + " cap " + cap;

      GatewayStack.Desired desired = GatewayStack.desired(new GatewayStack.Inputs(gwd, policy, allowlist, null, Map.of()));
      for (NetworkSpec spec : desired.networks()) {
        int roll = r.nextInt(12);
        if (roll == 0) continue; // missing
        boolean internal = roll == 1 ? !spec.internal() : spec.internal();
        Map<String, String> options = roll == 2 ? Map.of() : spec.options();
        h.networks.put("net-" + spec.name(), new NetworkView("net-" + spec.name(), spec.name(), "bridge", internal, spec.labels(), options,
            new LinkedHashMap<>()));
      }
      for (ContainerSpec spec : desired.containers()) h.component(r, spec);
      int sandboxes = r.nextInt(7);
      for (int i = 0; i < sandboxes; i++) h.sandbox(r, i);
      int strangers = r.nextInt(4);
      for (int i = 0; i < strangers; i++) h.stranger(r, i, desired);
      if (r.nextInt(5) == 0) {
        // A container recorded for a resource that is no longer declared: an orphan.
        ContainerView orphan = Containers.container("id-orphan", "old-gateway").memory(GIB).pidsLimit(10).build();
        h.put(orphan);
        h.ownership.seed(new ResourceKey("GatewayDeployment", "default", "old"), List.of(orphan.id()));
      }
      return h;
    }

    void component(Random r, ContainerSpec spec) {
      int roll = r.nextInt(14);
      if (roll == 0) return; // missing
      String id = "id-" + spec.name();
      Containers.Builder b = Containers.conforming(spec, id);
      Map<String, byte[]> inside = new HashMap<>();
      spec.files().stream().filter(f -> !f.directory()).forEach(f -> inside.put(f.path(), f.content()));
      switch (roll) {
        case 1 -> b.memory(spec.limits().memory() * 2);
        case 2 -> b.privileged(true);
        case 3 -> b.image("evil:1");
        case 4 -> b.state("exited");
        case 5 -> b.state("paused");
        case 6 -> b.label(Labels.SPEC_HASH, "0ld");
        case 7 -> b.network("bridge", List.of());
        case 8 -> inside.keySet().stream().findFirst().ifPresent(p -> inside.put(p, "tampered".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        case 9 -> b.withoutNetwork(spec.primaryNetwork()).network(spec.primaryNetwork(), List.of());
        default -> { }
      }
      ContainerView c = b.build();
      put(c);
      if (c.running() && !c.state().equals("paused") && !"0ld".equals(c.label(Labels.SPEC_HASH))) files.put(id, inside);
      ownership.seed(new ResourceKey("GatewayDeployment", "default", "openclaw"), List.of(id));
    }

    void sandbox(Random r, int i) {
      Instant created = NOW.minus(Duration.ofMinutes(r.nextInt(60 * 30)));
      Containers.Builder b = Containers.openClawSandbox("id-sbx-" + i, STATE_DIR, "s" + i, created);
      b.state(pick(r, "running", "running", "running", "created", "exited"));
      switch (r.nextInt(9)) {
        case 0 -> b.privileged(true);
        case 1 -> b.capAdd("SYS_ADMIN");
        case 2 -> b.bind("/var/run/docker.sock", "/var/run/docker.sock", true);
        case 3 -> b.networkMode("bridge").withoutNetwork("none").network("bridge", List.of());
        case 4 -> b.memory(4 * GIB).memorySwap(-1);
        case 5 -> b.pidsLimit(0);
        case 6 -> b.securityOpt("no-new-privileges", "seccomp=unconfined");
        default -> { }
      }
      if (r.nextBoolean()) lastExec.put("id-sbx-" + i, NOW.minus(Duration.ofMinutes(r.nextInt(60 * 4))));
      if (r.nextInt(6) == 0) execRunning.add("id-sbx-" + i);
      put(b.build());
    }

    void stranger(Random r, int i, GatewayStack.Desired desired) {
      Containers.Builder b = Containers.container("id-stranger-" + i, "stranger-" + i).memory(GIB).pidsLimit(100).securityOpt("no-new-privileges");
      switch (r.nextInt(6)) {
        case 0 -> b.privileged(true);
        case 1 -> b.bind("/var/run/docker.sock", "/var/run/docker.sock", false);
        case 2 -> b.pidMode("host");
        case 3 -> b.bind("/etc", "/host-etc", false);
        default -> { }
      }
      if (r.nextBoolean() && !desired.networks().isEmpty()) b.network(desired.networks().get(r.nextInt(desired.networks().size())).name(), List.of());
      if (r.nextInt(4) == 0) b.label(Labels.OWNER, "GatewayDeployment/default/openclaw"); // a forged label proves nothing
      put(b.build());
    }

    /** Adds a container and attaches it to the networks it says it is on. */
    void put(ContainerView c) {
      containers.put(c.id(), c);
      networks.replaceAll((id, n) -> {
        Map<String, String> attached = new LinkedHashMap<>(n.containers());
        if (c.networks().containsKey(n.name())) attached.put(c.id(), c.name());
        return new NetworkView(n.id(), n.name(), n.driver(), n.internal(), n.labels(), n.options(), attached);
      });
    }

    Set<String> containerNames() {
      Set<String> out = new HashSet<>();
      containers.values().forEach(c -> out.add(c.name()));
      return out;
    }

    HostSnapshot snapshot() { return new HostSnapshot(Map.copyOf(containers), Map.copyOf(networks)); }

    SandboxPlanner.ExecActivity exec() { return new SandboxPlanner.ExecActivity(Map.copyOf(lastExec), Set.copyOf(execRunning)); }

    HostView view() {
      return new HostView(store, SecretReader.LOCAL, snapshot(), this::readFile, ownership, exec(), Set.of(), io.openclaw.operator.host.Admitted.NONE, HostCapabilities.FULL,
          PathCanon.LEXICAL, path -> true, removeOrphans, NOW);
    }

    Optional<byte[]> readFile(String id, String path) { return Optional.ofNullable(files.getOrDefault(id, Map.of()).get(path)); }

    /** Every reconciler once, as the resync does, against this host, through a recording effector. */
    Recording runFullPass() {
      Recording recording = new Recording();
      Context context = new Context(store, new NoSource(), new Host(this), recording, new Recorder(new Metrics("test")), ownership,
          new StatusAssembler(new MemoryStatus(), "generated", Clock.fixed(NOW, ZoneOffset.UTC)), PathCanon.LEXICAL, java.nio.file.Path.of("/"),
          removeOrphans, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5), Duration.ofMinutes(2), key -> { }, key -> { }, ACTION_POOL);
      try {
        new GatewayReconciler(context).reconcile(new ResourceKey("GatewayDeployment", "default", "openclaw"));
        new PolicyReconciler(context).reconcile(new ResourceKey("SandboxPolicy", "default", "sandboxes"));
        new AllowlistReconciler(context).reconcile(new ResourceKey("EgressAllowlist", "default", "llm"));
        new BaselineReconciler(context).reconcile(Controller.BASELINE);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return recording;
    }
  }

  /** The generated host as the reconcilers read it; nothing is being removed, every claim succeeds once. */
  private static final class Host extends NoHostAccess {
    private final GeneratedHost h;

    Host(GeneratedHost h) { this.h = h; }

    @Override
    public HostSnapshot snapshot() { return h.snapshot(); }

    @Override
    public Optional<ContainerView> container(String id) { return Optional.ofNullable(h.containers.get(id)); }

    @Override
    public SandboxPlanner.ExecActivity execActivity() { return h.exec(); }

    @Override
    public Optional<byte[]> readFile(String containerId, String path) { return h.readFile(containerId, path); }
  }

  private static final class NoSource implements DesiredSource {
    public void start(DesiredStore store) { }

    public StatusWriter statusWriter() { return new MemoryStatus(); }

    public SecretReader secrets() { return SecretReader.LOCAL; }

    public void close() { }
  }

  private static final class MemoryStatus implements StatusWriter {
    private final Map<ResourceKey, KindStatus<?>> statuses = new HashMap<>();

    public boolean write(ResourceKey key, KindStatus<?> status) { return statuses.put(key, status) != status; }

    public Optional<KindStatus<?>> read(ResourceKey key) { return Optional.ofNullable(statuses.get(key)); }

    public void remove(ResourceKey key) { statuses.remove(key); }
  }

  private static String pick(Random r, String... options) { return options[r.nextInt(options.length)]; }
}
