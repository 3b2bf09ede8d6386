package io.openclaw.operator.audit;

import io.openclaw.operator.api.SocketProxyGrant;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.render.OpenClawConfig;
import io.openclaw.operator.plan.render.SocketProxyEnv;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A stack's socket proxy grants and tool denials, which no planner acts on. Pure: the live openclaw.json is read by the caller. */
final class StackChecks {
  /** Granted but never used by OpenClaw: worth an info finding each. */
  private static final List<SocketProxyGrant> UNUSED = List.of(SocketProxyGrant.INFO, SocketProxyGrant.VERSION, SocketProxyGrant.EVENTS);

  private StackChecks() {}

  static void judge(Stack stack, Optional<byte[]> liveConfig, Verdicts v) {
    if (stack.socketProxy() != null) socketProxy(stack.socketProxy(), v);
    if (stack.gateway() != null) denials(stack, liveConfig, v);
  }

  /** What the proxy lets through, read from its environment as Tecnativa's image reads it (image defaults included). */
  static Set<SocketProxyGrant> grants(ContainerView proxy) {
    Set<SocketProxyGrant> out = EnumSet.noneOf(SocketProxyGrant.class);
    for (String kv : proxy.env()) {
      int eq = kv.indexOf('=');
      if (eq <= 0) continue;
      String value = kv.substring(eq + 1).trim();
      boolean on = value.equalsIgnoreCase("true") || (value.matches("-?[0-9]+") && !value.matches("-?0+"));
      if (!on) continue;
      for (SocketProxyGrant g : SocketProxyGrant.values()) if (g.name().equals(kv.substring(0, eq))) out.add(g);
    }
    return out;
  }

  static void socketProxy(ContainerView proxy, Verdicts v) {
    String object = proxy.name();
    Set<SocketProxyGrant> granted = grants(proxy);
    String grantedText = granted.isEmpty() ? "nothing" : String.join(", ", granted.stream().map(Enum::name).toList());

    List<String> forbidden = granted.stream().filter(SocketProxyGrant.FORBIDDEN::contains).map(Enum::name).toList();
    verdict(v, Check.SOCKET_PROXY_FORBIDDEN, object, forbidden.isEmpty() ? null : "grants " + String.join(", ", forbidden),
        "BUILD, SECRETS and SWARM are denied");

    List<String> excess = granted.stream().filter(g -> !SocketProxyEnv.REQUIRED.contains(g) && !UNUSED.contains(g)
        && !SocketProxyGrant.FORBIDDEN.contains(g)).map(Enum::name).toList();
    verdict(v, Check.SOCKET_PROXY_EXCESS, object, excess.isEmpty() ? null : "grants " + String.join(", ", excess)
        + ", beyond what OpenClaw's sandbox lifecycle uses (CONTAINERS, IMAGES, EXEC, PING, POST)", "grants " + grantedText);

    for (SocketProxyGrant g : UNUSED) {
      Check check = g == SocketProxyGrant.INFO ? Check.SOCKET_PROXY_INFO : g == SocketProxyGrant.VERSION ? Check.SOCKET_PROXY_VERSION : Check.SOCKET_PROXY_EVENTS;
      verdict(v, check, object, granted.contains(g) ? g.name() + "=1" : null, g.name() + " is denied");
    }

    verdict(v, Check.SOCKET_PROXY_POST_MISSING, object, granted.contains(SocketProxyGrant.POST) ? null
        : "POST is not granted: every sandbox create (and start, exec) is refused with 403, so agent turns fail", "POST is granted");

    List<String> missing = SocketProxyEnv.REQUIRED.stream().filter(g -> g != SocketProxyGrant.POST && !granted.contains(g)).map(Enum::name).toList();
    verdict(v, Check.SOCKET_PROXY_REQUIRED_MISSING, object, missing.isEmpty() ? null : String.join(", ", missing) + " not granted",
        "CONTAINERS, IMAGES, EXEC and PING are granted");
  }

  static void denials(Stack stack, Optional<byte[]> liveConfig, Verdicts v) {
    String object = stack.gateway().name();
    JsonNode config = null;
    String unreadable = null;
    if (liveConfig.isEmpty()) {
      unreadable = "there is no " + OpenClawConfig.PATH + " in " + object;
    } else {
      try {
        config = OpenClawConfig.parseBase(liveConfig.get());
      } catch (RuntimeException e) {
        unreadable = OpenClawConfig.PATH + " in " + object + " is not a valid JSON5 object";
      }
    }
    if (config == null) {
      v.fail(Check.TOOLS_DENY_MISSING.finding(object, unreadable + ": OpenClaw denies no tool"));
      return;
    }
    List<String> agent = strings(config.path("tools").path("deny"));
    List<String> gateway = strings(config.path("gateway").path("tools").path("deny"));

    List<String> problems = new ArrayList<>();
    if (stack.denialsKnown()) {
      if (stack.agentDenials() == null) {
        if (agent.isEmpty()) problems.add("tools.deny is empty and no SandboxPolicy names " + stack.owner() + ", so nothing renders the agent-level denials");
      } else {
        missing(stack.agentDenials(), agent).ifPresent(m -> problems.add("tools.deny lacks " + m));
      }
      missing(stack.gatewayDenials(), gateway).ifPresent(m -> problems.add("gateway.tools.deny lacks " + m));
    } else {
      if (agent.isEmpty()) problems.add("tools.deny is empty");
      if (gateway.isEmpty()) problems.add("gateway.tools.deny is empty");
    }
    verdict(v, Check.TOOLS_DENY_MISSING, object, problems.isEmpty() ? null : String.join("; ", problems),
        "tools.deny lists " + agent.size() + ", gateway.tools.deny " + gateway.size() + " name(s)"
            + (stack.denialsKnown() ? ", every one declared" : " (declared lists unknown: desired state not given)"));

    Set<String> denied = new LinkedHashSet<>(agent);
    denied.addAll(gateway);
    List<String> noEffect = OpenClawConfig.ineffectiveDenials(List.copyOf(denied));
    verdict(v, Check.TOOLS_DENY_NO_EFFECT, object, noEffect.isEmpty() ? null : String.join(" | ", noEffect), "every denied name is a tool");

    List<String> uncovered = new ArrayList<>();
    for (String name : denied) ToolDenials.uncovered(name, config, denied).ifPresent(u -> uncovered.add(name + ": " + u));
    verdict(v, Check.TOOLS_DENY_NOT_COVERED, object, uncovered.isEmpty() ? null : String.join(" | ", uncovered),
        "what each denied non-tool meant is in force");
  }

  private static Optional<String> missing(List<String> wanted, List<String> have) {
    List<String> missing = wanted == null ? List.of() : wanted.stream().filter(w -> !have.contains(w)).toList();
    return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array.isArray()) array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** A failure (detail present) or a pass (with the fact). */
  static void verdict(Verdicts v, Check check, String object, String failure, String passFact) {
    if (failure != null) v.fail(check.finding(object, failure));
    else v.pass(object, check.checkId, check.title, passFact);
  }
}
