package io.openclaw.operator.host;

import java.util.HashSet;
import java.util.Set;

/**
 * What is known about containers beyond what the host shows: from the authorization plugin, and of the operator itself.
 *
 * @param exempt containers the host baseline exempts: ones an administrator's TLS identity created through the plugin
 *     (a socket-proxy client cannot present such an identity), and the operator's own container when it runs in one
 *     (it mounts the Docker socket by necessity)
 * @param startGated created containers whose create the plugin saw: their start is counted against the cap by the plugin
 *     itself, so they need not be counted as starting before they start
 */
public record Admitted(Set<String> exempt, Set<String> startGated) {
  public static final Admitted NONE = new Admitted(Set.of(), Set.of());

  public Admitted alsoExempt(String containerId) {
    Set<String> all = new HashSet<>(exempt);
    all.add(containerId);
    return new Admitted(Set.copyOf(all), startGated);
  }
}
