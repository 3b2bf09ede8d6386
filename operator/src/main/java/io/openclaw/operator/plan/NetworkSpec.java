package io.openclaw.operator.plan;

import io.openclaw.operator.docker.NetworkView;
import java.util.Map;

/** A bridge network the operator owns: internal (no route out) or not. */
public record NetworkSpec(String name, boolean internal, Map<String, String> labels) {
  /**
   * Docker gives an internal bridge an address on the host all the same, and the host accepts what arrives there:
   * a container on it reaches every host service listening on that address or on 0.0.0.0 (on Docker 20.10, through
   * the default route it also installs, every address of the host). A bridge without an address reaches nothing
   * outside its subnet: the next hop never answers, so no packet leaves the container.
   */
  public static final Map<String, String> NO_HOST_ADDRESS = Map.of("com.docker.network.bridge.inhibit_ipv4", "true");

  /** The bridge driver's options the network is created with. */
  public Map<String, String> options() { return internal ? NO_HOST_ADDRESS : Map.of(); }

  /** Whether a live network was created with every option this spec asks for. */
  public boolean hasOptions(NetworkView live) { return live.options().entrySet().containsAll(options().entrySet()); }
}
