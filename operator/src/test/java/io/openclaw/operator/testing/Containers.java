package io.openclaw.operator.testing;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.ContainerView.MountView;
import io.openclaw.operator.plan.ContainerSpec;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.MountSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-built {@link ContainerView}s for planner tests: what inspect would report, without Docker. A builder starts
 * from a hardened running container (cap-drop ALL, no-new-privileges) and each test changes what it is about.
 */
public final class Containers {
  public static final Instant T0 = Instant.parse("2026-09-01T12:00:00Z");
  public static final long GIB = 1L << 30;
  public static final long MIB = 1L << 20;

  private Containers() {}

  public static Builder container(String id, String name) { return new Builder(id, name); }

  /** The live container a ContainerSpec produces when everything went right: the planner should leave it alone. */
  public static Builder conforming(ContainerSpec spec, String id) {
    Builder b = new Builder(id, spec.name()).image(spec.image()).labels(spec.labelsWithHash()).user(spec.user())
        .env(spec.env()).networkMode(spec.primaryNetwork()).restartPolicy(ContainerSpec.RESTART_POLICY)
        .memory(spec.limits().memory()).memorySwap(spec.limits().memorySwap()).nanoCpus(spec.limits().nanoCpus())
        .pidsLimit(spec.limits().pidsLimit());
    List<String> command = new ArrayList<>(spec.entrypoint());
    command.addAll(spec.command());
    b.command(command.toArray(String[]::new));
    spec.networks().forEach(b::network);
    for (MountSpec m : spec.mounts()) {
      if (m.bind()) b.bind(m.source(), m.target(), !m.readOnly());
      else b.volume(m.source(), m.target(), !m.readOnly());
    }
    for (ContainerSpec.PortSpec p : spec.ports()) b.publishedPorts.add(p.hostIp() + ":" + p.hostPort() + "->" + p.key());
    return b;
  }

  /**
   * A sandbox as OpenClaw 2026.9 makes it (DESIGN.md §1): sleep infinity with --init, read-only root with tmpfs on
   * /tmp, /var/tmp and /run, network none, cap-drop ALL, no-new-privileges, 1g memory and swap, 1 CPU, 512 PIDs, its
   * private workspace read-write and that workspace's skills read-only, OpenClaw's labels.
   */
  public static Builder openClawSandbox(String id, String stateDir, String slug, Instant created) {
    String workspace = stateDir + "/sandboxes/" + slug;
    Builder b = new Builder(id, "openclaw-sbx-" + slug).image("openclaw-sandbox:bookworm-slim").created(created)
        .command("sleep", "infinity").init(true).readOnlyRootfs(true).networkMode("none").network("none", List.of())
        .memory(GIB).memorySwap(GIB).nanoCpus(1_000_000_000L).pidsLimit(512)
        .bind(workspace, "/workspace", true).bind(workspace + "/skills", "/workspace/skills", false);
    b.tmpfs.put("/tmp", "rw,nosuid,nodev");
    b.tmpfs.put("/var/tmp", "rw,nosuid,nodev");
    b.tmpfs.put("/run", "rw,nosuid,nodev");
    b.label(Labels.SANDBOX, "1").label(Labels.SESSION_KEY, "agent:main:" + slug)
        .label(Labels.CREATED_AT_MS, Long.toString(created.toEpochMilli())).label("openclaw.configHash", "c0ffee")
        .label("openclaw.mountFormatVersion", "2").label("openclaw.createArgsEpoch", "1");
    return b;
  }

  public static final class Builder {
    private String id;
    private String name;
    private String image = "busybox:1.36";
    private String imageId = "sha256:0123456789abcdef";
    private Instant created = T0;
    private String state = "running";
    private int restartCount;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private List<String> env = new ArrayList<>();
    private List<String> command = new ArrayList<>();
    private String user = "";
    private boolean privileged;
    private List<String> capAdd = new ArrayList<>();
    private List<String> capDrop = new ArrayList<>(List.of("ALL"));
    private List<String> securityOpt = new ArrayList<>(List.of("no-new-privileges"));
    private String networkMode = "default";
    private final Map<String, List<String>> networks = new LinkedHashMap<>();
    private final List<MountView> mounts = new ArrayList<>();
    private long memory;
    private long memorySwap;
    private long nanoCpus;
    private long cpuQuota;
    private long cpuPeriod;
    private long pidsLimit;
    private String restartPolicy = "no";
    private final List<String> publishedPorts = new ArrayList<>();
    private boolean publishAllPorts;
    private String pidMode = "";
    private String ipcMode = "private";
    private String utsMode = "";
    private String usernsMode = "";
    private int devices;
    private List<String> deviceCgroupRules = new ArrayList<>();
    private String cgroupnsMode = "private";
    private boolean readOnlyRootfs;
    private boolean inspected = true;
    private boolean init;
    private final Map<String, String> tmpfs = new LinkedHashMap<>();
    private final Set<String> imageVolumes = new LinkedHashSet<>();

    private Builder(String id, String name) {
      this.id = id;
      this.name = name;
    }

    public Builder id(String v) { id = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder image(String v) { image = v; return this; }
    public Builder created(Instant v) { created = v; return this; }
    public Builder state(String v) { state = v; return this; }
    public Builder label(String k, String v) { labels.put(k, v); return this; }
    public Builder labels(Map<String, String> v) { labels.putAll(v); return this; }
    public Builder withoutLabel(String k) { labels.remove(k); return this; }
    public Builder env(List<String> v) { env = new ArrayList<>(v); return this; }
    public Builder command(String... v) { command = List.of(v); return this; }
    public Builder user(String v) { user = v; return this; }
    public Builder privileged(boolean v) { privileged = v; return this; }
    public Builder deviceCgroupRules(String... v) { deviceCgroupRules = List.of(v); return this; }
    public Builder cgroupnsMode(String v) { cgroupnsMode = v; return this; }
    /** As the container list shows it, before any inspect: only mounts, network, ports, labels and state are known. */
    public Builder listedOnly() { inspected = false; return this; }
    public Builder capAdd(String... v) { capAdd = List.of(v); return this; }
    public Builder capDrop(String... v) { capDrop = List.of(v); return this; }
    public Builder securityOpt(String... v) { securityOpt = List.of(v); return this; }
    public Builder networkMode(String v) { networkMode = v; return this; }
    public Builder network(String network, List<String> aliases) { networks.put(network, aliases); return this; }
    public Builder withoutNetwork(String network) { networks.remove(network); return this; }
    public Builder bind(String source, String destination, boolean readWrite) {
      mounts.add(new MountView("bind", source, destination, readWrite, null));
      return this;
    }
    public Builder volume(String volumeName, String destination, boolean readWrite) {
      mounts.add(new MountView("volume", "/var/lib/docker/volumes/" + volumeName + "/_data", destination, readWrite, volumeName));
      return this;
    }
    public Builder tmpfsMount(String destination) {
      mounts.add(new MountView("tmpfs", "", destination, true, null));
      return this;
    }
    public Builder withoutMounts() { mounts.clear(); return this; }
    public Builder memory(long v) { memory = v; return this; }
    public Builder memorySwap(long v) { memorySwap = v; return this; }
    public Builder nanoCpus(long v) { nanoCpus = v; return this; }
    public Builder cpuQuota(long quota, long period) { cpuQuota = quota; cpuPeriod = period; return this; }
    public Builder pidsLimit(long v) { pidsLimit = v; return this; }
    public Builder restartPolicy(String v) { restartPolicy = v; return this; }
    public Builder publish(String binding) { publishedPorts.add(binding); return this; }
    public Builder publishAllPorts(boolean v) { publishAllPorts = v; return this; }
    public Builder pidMode(String v) { pidMode = v; return this; }
    public Builder ipcMode(String v) { ipcMode = v; return this; }
    public Builder utsMode(String v) { utsMode = v; return this; }
    public Builder usernsMode(String v) { usernsMode = v; return this; }
    public Builder devices(int v) { devices = v; return this; }
    public Builder readOnlyRootfs(boolean v) { readOnlyRootfs = v; return this; }
    public Builder init(boolean v) { init = v; return this; }
    public Builder imageVolume(String path) { imageVolumes.add(path); return this; }

    public ContainerView build() {
      return new ContainerView(id, name, image, imageId, created, state, restartCount, Map.copyOf(labels), List.copyOf(env),
          List.copyOf(command), user, privileged, List.copyOf(capAdd), List.copyOf(capDrop), List.copyOf(securityOpt), networkMode,
          new LinkedHashMap<>(networks), List.copyOf(mounts), memory, memorySwap, nanoCpus, cpuQuota, cpuPeriod, pidsLimit,
          restartPolicy, List.copyOf(publishedPorts), publishAllPorts, pidMode, ipcMode, utsMode, usernsMode, devices,
          List.copyOf(deviceCgroupRules), cgroupnsMode, readOnlyRootfs, init, Map.copyOf(tmpfs), Set.copyOf(imageVolumes), inspected);
    }
  }
}
