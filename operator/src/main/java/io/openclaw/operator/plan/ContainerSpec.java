package io.openclaw.operator.plan;

import io.openclaw.operator.api.Yaml;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the operator decides about one infrastructure container. The spec hash covers all of it except file
 * contents, so any change of shape recreates the container while a new secret or config value is re-delivered.
 */
public record ContainerSpec(
    String name,
    String component,
    String image,
    Map<String, String> labels,
    List<String> env,
    List<String> entrypoint,
    List<String> command,
    String user,
    Limits limits,
    List<MountSpec> mounts,
    String primaryNetwork,
    Map<String, List<String>> networks,
    List<PortSpec> ports,
    List<FileSpec> files) {

  public static final String RESTART_POLICY = "unless-stopped";

  public record PortSpec(int containerPort, int hostPort, String hostIp, String protocol) {
    public String key() { return containerPort + "/" + protocol; }
  }

  /** sha256 over the canonical shape of the spec (files by path, mode and owner only). */
  public String specHash() {
    ObjectNode shape = Yaml.JSON.createObjectNode();
    shape.put("image", image).put("user", user == null ? "" : user).put("component", component);
    shape.set("env", Yaml.JSON.valueToTree(env));
    shape.set("entrypoint", Yaml.JSON.valueToTree(entrypoint));
    shape.set("command", Yaml.JSON.valueToTree(command));
    shape.set("limits", Yaml.JSON.valueToTree(limits));
    shape.set("mounts", Yaml.JSON.valueToTree(mounts));
    shape.put("primaryNetwork", primaryNetwork);
    shape.set("networks", Yaml.JSON.valueToTree(new TreeMap<>(networks)));
    shape.set("ports", Yaml.JSON.valueToTree(ports));
    ArrayNode files = shape.putArray("files");
    this.files.forEach(f -> files.add(f.shape()));
    shape.set("labels", Yaml.JSON.valueToTree(new TreeMap<>(labels)));
    return Hashing.sha256(Yaml.json(shape));
  }

  /** The labels the container is created with: the owner's plus the spec hash. */
  public Map<String, String> labelsWithHash() {
    Map<String, String> all = new TreeMap<>(labels);
    all.put(Labels.SPEC_HASH, specHash());
    return all;
  }

  public int uid() { return uid(user); }

  public int gid() { return gid(user); }

  /** Numeric uid of a "uid[:gid]" user; root when none is set. */
  public static int uid(String user) { return user == null || user.isEmpty() ? 0 : Integer.parseInt(user.split(":")[0]); }

  /** Numeric gid of a "uid[:gid]" user; the uid when no gid is given. */
  public static int gid(String user) {
    if (user == null || user.isEmpty()) return 0;
    String[] parts = user.split(":");
    return Integer.parseInt(parts[parts.length > 1 ? 1 : 0]);
  }
}
