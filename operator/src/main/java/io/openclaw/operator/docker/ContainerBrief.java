package io.openclaw.operator.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What the container list says of one container: its mounts, networks and ports, but not its capabilities or
 * limits. The list is served from the daemon's snapshot and never waits for a container being started, where an
 * inspect does: enough to condemn a sandbox by its mounts or network the moment it is created.
 */
public record ContainerBrief(String id, String name, String state, Map<String, String> labels, String networkMode, Set<String> networks,
    List<ContainerView.MountView> mounts, List<String> publishedPorts) {

  public static ContainerBrief fromList(JsonNode c) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : c.path("Ports")) {
      if (p.has("PublicPort")) ports.add(p.path("IP").asString("") + ":" + p.path("PublicPort").asInt() + "->" + p.path("PrivatePort").asInt() + "/" + p.path("Type").asString(""));
    }
    String name = c.path("Names").path(0).asString("");
    return new ContainerBrief(c.path("Id").asString(), name.startsWith("/") ? name.substring(1) : name, c.path("State").asString(""),
        ContainerView.stringMap(c.path("Labels")), c.path("HostConfig").path("NetworkMode").asString(""),
        Set.copyOf(c.path("NetworkSettings").path("Networks").propertyNames()), ContainerView.mounts(c.path("Mounts")), ports);
  }
}
