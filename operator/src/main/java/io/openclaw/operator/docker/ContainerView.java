package io.openclaw.operator.docker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One container as the daemon's inspect reports it: everything the planners and the audit judge, read from the
 * raw JSON so that no field the client library does not know can hide anything.
 */
public record ContainerView(
    String id,
    String name,
    String image,
    String imageId,
    Instant created,
    String state,
    int restartCount,
    Map<String, String> labels,
    List<String> env,
    List<String> command,
    String user,
    boolean privileged,
    List<String> capAdd,
    List<String> capDrop,
    List<String> securityOpt,
    String networkMode,
    Map<String, List<String>> networks,
    List<MountView> mounts,
    long memory,
    long memorySwap,
    long nanoCpus,
    long cpuQuota,
    long cpuPeriod,
    long pidsLimit,
    String restartPolicy,
    List<String> publishedPorts,
    boolean publishAllPorts,
    String pidMode,
    String ipcMode,
    String utsMode,
    String usernsMode,
    int devices,
    List<String> deviceCgroupRules,
    String cgroupnsMode,
    boolean readOnlyRootfs,
    boolean init,
    Map<String, String> tmpfs,
    java.util.Set<String> imageVolumes,
    boolean inspected) {

  /** A mount as the daemon reports it: bind, volume or tmpfs. */
  public record MountView(String type, String source, String destination, boolean readWrite, String name) {}

  public boolean running() { return state.equals("running") || state.equals("restarting") || state.equals("paused"); }

  /** Neither running nor on its way to running: created (never started), exited, dead. */
  public boolean notStarted() { return state.equals("created"); }

  public String label(String key) { return labels.get(key); }

  /** CPU limit in nano-CPUs whichever way it was set (NanoCpus, or CFS quota over period). */
  public long effectiveNanoCpus() {
    if (nanoCpus > 0) return nanoCpus;
    if (cpuQuota > 0 && cpuPeriod > 0) return cpuQuota * 1_000_000_000L / cpuPeriod;
    return 0;
  }

  /** no-new-privileges in any of the spellings Docker accepts. */
  public boolean hasNoNewPrivileges() {
    return securityOpt.stream().anyMatch(o -> o.equals("no-new-privileges") || o.equals("no-new-privileges:true")
        || o.equals("no-new-privileges=true"));
  }

  public static ContainerView fromInspect(JsonNode c) {
    JsonNode config = c.path("Config");
    JsonNode host = c.path("HostConfig");
    JsonNode state = c.path("State");
    Map<String, List<String>> networks = new LinkedHashMap<>();
    c.path("NetworkSettings").path("Networks").propertyStream().forEach(e ->
        networks.put(e.getKey(), strings(e.getValue().path("Aliases"))));
    List<MountView> mounts = mounts(c.path("Mounts"));
    List<String> published = new ArrayList<>();
    host.path("PortBindings").propertyStream().forEach(e -> {
      for (JsonNode b : e.getValue()) published.add(b.path("HostIp").asString("") + ":" + b.path("HostPort").asString("") + "->" + e.getKey());
    });
    List<String> command = new ArrayList<>(strings(config.path("Entrypoint")));
    command.addAll(strings(config.path("Cmd")));
    return new ContainerView(
        c.path("Id").asString(),
        trimSlash(c.path("Name").asString("")),
        config.path("Image").asString(""),
        c.path("Image").asString(""),
        parseTime(c.path("Created").asString(null)).orElse(Instant.EPOCH),
        state.path("Status").asString("unknown"),
        c.path("RestartCount").asInt(0),
        stringMap(config.path("Labels")),
        strings(config.path("Env")),
        command,
        config.path("User").asString(""),
        host.path("Privileged").asBoolean(false),
        strings(host.path("CapAdd")),
        strings(host.path("CapDrop")),
        strings(host.path("SecurityOpt")),
        host.path("NetworkMode").asString(""),
        networks,
        mounts,
        host.path("Memory").asLong(0),
        host.path("MemorySwap").asLong(0),
        host.path("NanoCpus").asLong(0),
        host.path("CpuQuota").asLong(0),
        host.path("CpuPeriod").asLong(0),
        host.path("PidsLimit").asLong(0),
        host.path("RestartPolicy").path("Name").asString(""),
        published,
        host.path("PublishAllPorts").asBoolean(false),
        host.path("PidMode").asString(""),
        host.path("IpcMode").asString(""),
        host.path("UTSMode").asString(""),
        host.path("UsernsMode").asString(""),
        host.path("Devices").size(),
        strings(host.path("DeviceCgroupRules")),
        host.path("CgroupnsMode").asString(""),
        host.path("ReadonlyRootfs").asBoolean(false),
        host.path("Init").asBoolean(false),
        stringMap(host.path("Tmpfs")),
        java.util.Set.copyOf(config.path("Volumes").propertyNames()),
        true);
  }

  /**
   * What the container list shows of a container, as a view: mounts, network, ports and labels, nothing of its
   * capabilities or limits ({@link #inspected} is false, so the planners judge only what the list can show). The list
   * is served from the daemon's snapshot and never waits for a start in progress, where an inspect does.
   */
  /**
   * The list gives whole seconds. Taken as the last instant of that second: a container seen only in the list (just
   * created) must not look older than one inspected to the nanosecond within the same second, or "the newest beyond
   * the cap" would pick the wrong one.
   */
  static Instant createdInList(long seconds) {
    return Instant.ofEpochSecond(seconds).plusNanos(999_999_999L);
  }

  public static ContainerView fromList(JsonNode c) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : c.path("Ports")) {
      if (p.has("PublicPort")) {
        ports.add(p.path("IP").asString("") + ":" + p.path("PublicPort").asInt() + "->" + p.path("PrivatePort").asInt() + "/" + p.path("Type").asString(""));
      }
    }
    Map<String, List<String>> networks = new LinkedHashMap<>();
    c.path("NetworkSettings").path("Networks").propertyNames().forEach(n -> networks.put(n, List.of()));
    String name = c.path("Names").path(0).asString("");
    return new ContainerView(c.path("Id").asString(), trimSlash(name), c.path("Image").asString(""), c.path("ImageID").asString(""),
        createdInList(c.path("Created").asLong(0)), c.path("State").asString("unknown"), 0, stringMap(c.path("Labels")),
        List.of(), List.of(), "", false, List.of(), List.of(), List.of(), c.path("HostConfig").path("NetworkMode").asString(""), networks,
        mounts(c.path("Mounts")), 0, 0, 0, 0, 0, 0, "", ports, false, "", "", "", "", 0, List.of(), "", false, false, Map.of(),
        java.util.Set.of(), false);
  }

  /**
   * The container a create request asks for (its JSON body and the name in its query), as a view the planners judge:
   * what would exist if the daemon carried it out. Fields the body leaves out take no value (the daemon's defaults
   * break no rule). Binds are read as the daemon reads them: "source:destination[:options]", a source that is no
   * absolute path being a named volume.
   */
  public static ContainerView fromCreate(JsonNode body, String name, String id, Instant now) {
    JsonNode host = body.path("HostConfig");
    List<MountView> mounts = new ArrayList<>();
    for (JsonNode b : host.path("Binds")) mounts.add(bind(b.asString("")));
    for (JsonNode m : host.path("Mounts")) {
      mounts.add(new MountView(m.path("Type").asString("volume"), m.path("Source").asString(""), m.path("Target").asString(""),
          !m.path("ReadOnly").asBoolean(false), m.path("Type").asString("volume").equals("volume") ? m.path("Source").asString("") : null));
    }
    Map<String, String> tmpfs = stringMap(host.path("Tmpfs"));
    tmpfs.keySet().forEach(t -> mounts.add(new MountView("tmpfs", "", t, true, null)));
    String networkMode = host.path("NetworkMode").asString("default");
    Map<String, List<String>> networks = new LinkedHashMap<>();
    body.path("NetworkingConfig").path("EndpointsConfig").propertyStream().forEach(e -> networks.put(e.getKey(), strings(e.getValue().path("Aliases"))));
    if (networks.isEmpty() && !networkMode.isEmpty()) networks.put(networkMode.equals("default") ? "bridge" : networkMode, List.of());
    List<String> published = new ArrayList<>();
    host.path("PortBindings").propertyStream().forEach(e -> {
      for (JsonNode b : e.getValue()) published.add(b.path("HostIp").asString("") + ":" + b.path("HostPort").asString("") + "->" + e.getKey());
    });
    List<String> command = new ArrayList<>(strings(body.path("Entrypoint")));
    command.addAll(strings(body.path("Cmd")));
    return new ContainerView(id, trimSlash(name == null ? "" : name), body.path("Image").asString(""), "", now, "created", 0,
        stringMap(body.path("Labels")), strings(body.path("Env")), command, body.path("User").asString(""), host.path("Privileged").asBoolean(false),
        strings(host.path("CapAdd")), strings(host.path("CapDrop")), strings(host.path("SecurityOpt")), networkMode, networks, mounts,
        host.path("Memory").asLong(0), host.path("MemorySwap").asLong(0), host.path("NanoCpus").asLong(0), host.path("CpuQuota").asLong(0),
        host.path("CpuPeriod").asLong(0), host.path("PidsLimit").asLong(0), host.path("RestartPolicy").path("Name").asString(""), published,
        host.path("PublishAllPorts").asBoolean(false), host.path("PidMode").asString(""), host.path("IpcMode").asString(""),
        host.path("UTSMode").asString(""), host.path("UsernsMode").asString(""), host.path("Devices").size(), strings(host.path("DeviceCgroupRules")),
        host.path("CgroupnsMode").asString(""), host.path("ReadonlyRootfs").asBoolean(false), host.path("Init").asBoolean(false), tmpfs,
        java.util.Set.of(), true);
  }

  /** "source:destination[:options]" as the daemon parses a bind: a source that is no absolute path names a volume. */
  static MountView bind(String spec) {
    String[] parts = spec.split(":");
    String source = parts[0];
    String destination = parts.length > 1 ? parts[1] : parts[0];
    boolean readOnly = parts.length > 2 && java.util.Arrays.asList(parts[2].split(",")).contains("ro");
    boolean volume = !source.startsWith("/");
    return new MountView(volume ? "volume" : "bind", source, destination, !readOnly, volume ? source : null);
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** The Mounts array: the same shape in an inspect and in the container list. */
  static List<MountView> mounts(JsonNode array) {
    List<MountView> mounts = new ArrayList<>();
    for (JsonNode m : array) {
      mounts.add(new MountView(m.path("Type").asString(""), m.path("Source").asString(""), m.path("Destination").asString(""),
          m.path("RW").asBoolean(true), m.path("Name").asString(null)));
    }
    return mounts;
  }

  static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object != null && object.isObject()) object.propertyStream().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
    return out;
  }

  static Optional<Instant> parseTime(String text) {
    if (text == null || text.isEmpty() || text.startsWith("0001-")) return Optional.empty();
    try {
      return Optional.of(Instant.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String trimSlash(String name) { return name.startsWith("/") ? name.substring(1) : name; }
}
