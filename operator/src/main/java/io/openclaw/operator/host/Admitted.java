package io.openclaw.operator.host;

import java.util.Set;

/**
 * What the authorization plugin knows about containers that the host does not show.
 *
 * @param byAdmin containers an administrator's TLS identity created: the host baseline exempts them (a socket-proxy
 *     client cannot present such an identity)
 * @param startGated created containers whose create the plugin saw: their start is counted against the cap by the plugin
 *     itself, so they need not be counted as starting before they start
 */
public record Admitted(Set<String> byAdmin, Set<String> startGated) {
  public static final Admitted NONE = new Admitted(Set.of(), Set.of());
}
