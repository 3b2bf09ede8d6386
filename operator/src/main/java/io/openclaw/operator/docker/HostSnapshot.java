package io.openclaw.operator.docker;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** An immutable view of the host's containers and networks at one moment: what the planners read. */
public record HostSnapshot(Map<String, ContainerView> containers, Map<String, NetworkView> networks) {
  public Optional<ContainerView> containerNamed(String name) {
    return containers.values().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public Optional<NetworkView> networkNamed(String name) {
    return networks.values().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  public Collection<ContainerView> allContainers() { return containers.values(); }

  /** Every container and network on the host now, read once; one that vanishes between list and inspect is skipped. */
  public static HostSnapshot read(DockerApi docker) {
    Map<String, ContainerView> containers = new java.util.LinkedHashMap<>();
    for (DockerApi.ContainerSummary s : docker.listContainers()) docker.inspectContainer(s.id()).ifPresent(c -> containers.put(c.id(), c));
    Map<String, NetworkView> networks = new java.util.LinkedHashMap<>();
    for (NetworkView n : docker.listNetworks()) networks.put(n.id(), n);
    return new HostSnapshot(containers, networks);
  }
}
