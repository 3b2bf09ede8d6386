package io.openclaw.operator.audit;

import io.openclaw.operator.plan.Rule;
import io.openclaw.operator.plan.Severity;

/**
 * The audit's own checks, which no planner acts on (the planners' rules are in {@link Rule}), each with a stable checkId. Severities:
 * critical for a breach of the security model, warn for a weakness or a broken sandbox lifecycle, info for what is
 * worth knowing (or could not be read).
 */
public enum Check {
  DESIRED_STATE_MISSING("audit.desired_state_missing", Severity.INFO, "Desired state not given: only the host baseline was judged",
      "Pass --manifests DIR (or --kubernetes) so networks, the socket proxy, sandboxes and tool denials are judged as well."),
  INVALID_MANIFEST("audit.invalid_manifest", Severity.WARN, "A manifest is invalid and was left out of the audit",
      "Fix it (`validate DIR` prints every problem); the operator ignores an invalid resource as well."),
  GATEWAY_UNPLANNABLE("gateway.unplannable", Severity.WARN, "A GatewayDeployment cannot be planned",
      "Fix what the detail names (a secret that cannot be read, a base openclaw.json that is not JSON); the operator keeps what runs meanwhile."),
  SOCKET_PROXY_FORBIDDEN("socket_proxy.forbidden_grant", Severity.CRITICAL, "Socket proxy exposes BUILD, SECRETS or SWARM",
      "Set them to 0: builds run arbitrary code as root on the host, secrets and swarm reach beyond it. The operator renders them 0 whatever spec.socketProxy.allow says."),
  SOCKET_PROXY_EXCESS("socket_proxy.excess_grant", Severity.WARN, "Socket proxy exposes Docker API sections OpenClaw never uses",
      "Grant only CONTAINERS, IMAGES, EXEC, PING and POST (spec.socketProxy.allow)."),
  SOCKET_PROXY_INFO("socket_proxy.grant_info", Severity.INFO, "Socket proxy grants INFO, which OpenClaw never uses",
      "Remove INFO from spec.socketProxy.allow: it tells a compromised gateway about the host."),
  SOCKET_PROXY_VERSION("socket_proxy.grant_version", Severity.INFO, "Socket proxy grants VERSION, which OpenClaw never uses",
      "Remove VERSION from spec.socketProxy.allow."),
  SOCKET_PROXY_EVENTS("socket_proxy.grant_events", Severity.INFO, "Socket proxy grants EVENTS, which OpenClaw never uses",
      "Remove EVENTS from spec.socketProxy.allow: it lets a compromised gateway watch every container on the host."),
  SOCKET_PROXY_POST_MISSING("socket_proxy.post_missing", Severity.WARN, "Socket proxy lacks POST: no sandbox can be created",
      "Add POST to spec.socketProxy.allow; without it every sandbox create is refused."),
  SOCKET_PROXY_REQUIRED_MISSING("socket_proxy.required_missing", Severity.WARN, "Socket proxy lacks a section sandboxes need",
      "Grant CONTAINERS, IMAGES, EXEC and PING: without PING the docker CLI falls back to API 1.24 and every exec fails while the agent run reports success."),
  SECRET_ENV("secrets.env", Severity.CRITICAL, "Secret-looking value in a container's environment",
      "Deliver it as a file (secrets[] in the spec): anyone who can inspect containers, the gateway through the socket proxy included, reads the environment."),
  SECRET_COMMAND("secrets.command", Severity.CRITICAL, "Secret-looking value in a container's command line",
      "Deliver it as a file and pass its path: the command line is visible to inspect and to every process on the host."),
  SECRET_LABELS("secrets.labels", Severity.CRITICAL, "Secret-looking value in a container's labels",
      "Remove it from the labels: labels are readable by anyone who can list containers."),
  TOOLS_DENY_MISSING("tools.deny_missing", Severity.CRITICAL, "Tool denials missing from the gateway's openclaw.json",
      "Let the operator deliver openclaw.json (it renders tools.deny from the SandboxPolicy and gateway.tools.deny from spec.toolDenials.gateway)."),
  TOOLS_DENY_NO_EFFECT("tools.deny_no_effect", Severity.INFO, "Denied names that are no tools in OpenClaw",
      "Harmless; what really does the job is named in the detail (OpenClaw accepts unknown names silently)."),
  TOOLS_DENY_NOT_COVERED("tools.deny_not_covered", Severity.WARN, "A denial has no effect and the setting that would is missing",
      "Set what the detail names (the operator renders it with a SandboxPolicy)."),
  DAEMON_NO_NEW_PRIVILEGES("daemon.no_new_privileges_default", Severity.WARN, "Docker daemon does not default to no-new-privileges",
      "Set \"no-new-privileges\": true in /etc/docker/daemon.json and restart dockerd: containers created without the option then still cannot gain privileges."),
  DAEMON_NO_NEW_PRIVILEGES_UNKNOWN("daemon.no_new_privileges_unknown", Severity.INFO, "Docker daemon's no-new-privileges default could not be read",
      "Run the audit on the Docker host itself (or pass --host-root with the host's filesystem) to read daemon.json and dockerd's arguments."),
  DAEMON_ICC("daemon.icc", Severity.WARN, "Containers on Docker's default bridge may talk to each other (icc)",
      "Set \"icc\": false in /etc/docker/daemon.json and restart dockerd: containers started without a network of their own then cannot reach each other."),
  DAEMON_LIVE_RESTORE("daemon.live_restore", Severity.WARN, "Containers stop while dockerd restarts (live-restore off)",
      "Set \"live-restore\": true in /etc/docker/daemon.json and reload dockerd (SIGHUP): the gateway, its proxies and the operator keep running through a daemon upgrade."),
  DAEMON_USERNS_REMAP("daemon.userns_remap", Severity.WARN, "Root in a container is root on the host (no userns-remap)",
      "Set \"userns-remap\": \"default\" in /etc/docker/daemon.json and restart dockerd; the gateway's stateDir must then belong to the remapped uid."),
  DAEMON_NOT_CHECKED("daemon.not_checked", Severity.INFO, "A daemon setting could not be read",
      "Run the audit on the Docker host itself (or pass --host-root with the host's filesystem) to read daemon.json and dockerd's arguments."),
  SSHD_PERMIT_ROOT_LOGIN("host.sshd.permit_root_login", Severity.WARN, "sshd lets root log in",
      "Set PermitRootLogin no in /etc/ssh/sshd_config and log in as a named user."),
  SSHD_PASSWORD_AUTHENTICATION("host.sshd.password_authentication", Severity.WARN, "sshd accepts passwords",
      "Set PasswordAuthentication no (keys only)."),
  SSHD_ALLOW_USERS("host.sshd.allow_users_missing", Severity.WARN, "sshd admits every account",
      "Set AllowUsers (or AllowGroups) to the accounts that may log in."),
  SSHD_FORWARDING("host.sshd.forwarding", Severity.WARN, "sshd allows forwarding",
      "Set AllowTcpForwarding no, AllowAgentForwarding no, AllowStreamLocalForwarding no, X11Forwarding no, PermitTunnel no: forwarding reaches the internal network past the egress proxy."),
  SSHD_PORT("host.sshd.port", Severity.WARN, "sshd listens on another port than expected",
      "Set Port to spec.hostHardening.sshPort in /etc/ssh/sshd_config (once, no other Port or ListenAddress port), allow it in UFW, reload sshd."),
  SSHD_DEPLOY_USER("host.sshd.deploy_user", Severity.WARN, "sshd's AllowUsers does not name only the expected deploy user",
      "Set AllowUsers to the deploy user (spec.hostHardening.deployUser) in /etc/ssh/sshd_config and reload sshd."),
  SSHD_NOT_CHECKED("host.sshd.not_checked", Severity.INFO, "sshd settings not checked", "Nothing to do if no sshd runs on the host."),
  UFW_INACTIVE("host.ufw.inactive", Severity.WARN, "UFW is installed but not enabled", "Enable it (`ufw enable`) after allowing SSH."),
  UFW_DEFAULT_POLICY("host.ufw.default_policy", Severity.WARN, "UFW accepts incoming traffic by default",
      "Set DEFAULT_INPUT_POLICY=\"DROP\" (`ufw default deny incoming`). Note that Docker's published ports bypass UFW: publish only the ingress proxy."),
  UFW_INBOUND_PORTS("host.ufw.inbound_ports", Severity.WARN, "UFW lets in ports beyond the expected ones",
      "Delete the rules for other ports (`ufw status numbered`, `ufw delete N`): only spec.hostHardening.allowedInboundPorts (SSH and 443) come in."),
  UFW_CLOUDFLARE_ONLY("host.ufw.cloudflare_only", Severity.WARN, "A Cloudflare-only port is open to more than Cloudflare's ranges",
      "Allow spec.hostHardening.cloudflarePorts only from Cloudflare's ranges (`ufw allow from RANGE to any port 443 proto tcp` for each) and delete the"
          + " rule for anywhere. Ports Docker publishes (the ingress proxy's) bypass UFW's input rules: restrict them in the DOCKER-USER chain too."),
  UFW_NOT_CHECKED("host.ufw.not_checked", Severity.INFO, "Host firewall not checked", "Other firewalls (nftables, iptables) are not inspected."),
  FAIL2BAN_MISSING("host.fail2ban.missing", Severity.WARN, "fail2ban is not installed", "Install fail2ban with its sshd jail."),
  FAIL2BAN_NOT_RUNNING("host.fail2ban.not_running", Severity.WARN, "fail2ban is installed but not running",
      "Start and enable it: `systemctl enable --now fail2ban`."),
  FAIL2BAN_SSHD_JAIL("host.fail2ban.sshd_jail", Severity.WARN, "fail2ban has no sshd jail",
      "Enable the sshd jail ([sshd] enabled = true in /etc/fail2ban/jail.local, with port set to the SSH port) and reload fail2ban."),
  FAIL2BAN_NOT_CHECKED("host.fail2ban.not_checked", Severity.INFO, "fail2ban not checked", "Run the audit where the host's filesystem is readable."),
  OPENCLAW_AUDIT_UNAVAILABLE("openclaw.audit_unavailable", Severity.INFO, "OpenClaw's own security audit could not be run",
      "Run `openclaw security audit --deep --json` in the gateway container yourself once a real OpenClaw image runs there."),
  GATEWAY_PROVIDER_ENV("gateway.provider_credentials", Severity.CRITICAL, "A model provider's key or endpoint in the gateway's environment",
      "Remove it from spec.gateway.env: the gateway's model calls go to the model proxy, which alone holds the providers' keys and endpoints."),
  MODEL_DISCOURAGED("agents.model_discouraged", Severity.WARN, "An agent whose tools can act runs (or may switch to) a discouraged model",
      "Give the agent an allowed, larger model (spec.modelPolicy.primary, or agents.entries.<id>.model) and list only such models in"
          + " spec.modelPolicy.allowed: an agent that reads untrusted text and can act should run the model that resists prompt injection better."),
  MODEL_NOT_ALLOWED("agents.model_not_allowed", Severity.WARN, "An agent runs a model outside spec.modelPolicy.allowed",
      "Set the agent's model to one of spec.modelPolicy.allowed (the operator renders agents.defaults.modelPolicy.allow from it).");

  public final String checkId;
  public final Severity severity;
  public final String title;
  public final String remediation;

  Check(String checkId, Severity severity, String title, String remediation) {
    this.checkId = checkId;
    this.severity = severity;
    this.title = title;
    this.remediation = remediation;
  }

  public Finding finding(String object, String detail) { return finding(object, detail, severity); }

  public Finding finding(String object, String detail, Severity severity) {
    return new Finding(checkId, severity, title, detail, remediation, object, Finding.OPERATOR);
  }

  /** A rule of the table as a finding: its own severity, title and remediation. */
  public static Finding of(Rule rule, String object, String detail) {
    return new Finding(rule.checkId, rule.severity, rule.title, detail, rule.remediation(), object, Finding.OPERATOR);
  }
}
