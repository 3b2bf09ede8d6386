package io.openclaw.operator.plan.render;

import io.openclaw.operator.api.SocketProxyGrant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The socket proxy's environment: every permission variable the image knows is set, 1 when allowed and 0
 * otherwise, so no image default (EVENTS, PING and VERSION are 1 in Tecnativa's image) decides for the user.
 */
public final class SocketProxyEnv {
  /** What OpenClaw's sandbox lifecycle needs through the proxy; anything less breaks sandboxes. */
  public static final Set<SocketProxyGrant> REQUIRED = EnumSet.of(SocketProxyGrant.CONTAINERS, SocketProxyGrant.IMAGES,
      SocketProxyGrant.EXEC, SocketProxyGrant.PING, SocketProxyGrant.POST);

  private SocketProxyEnv() {}

  public static List<String> render(List<SocketProxyGrant> allow) {
    Set<SocketProxyGrant> allowed = allow.isEmpty() ? EnumSet.noneOf(SocketProxyGrant.class) : EnumSet.copyOf(allow);
    List<String> env = new ArrayList<>();
    for (SocketProxyGrant grant : SocketProxyGrant.values()) {
      env.add(grant.name() + "=" + (allowed.contains(grant) && !SocketProxyGrant.FORBIDDEN.contains(grant) ? "1" : "0"));
    }
    return env;
  }
}
