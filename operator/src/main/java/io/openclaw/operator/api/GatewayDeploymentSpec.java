package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The desired gateway stack: the operator creates, repairs and recreates its networks and containers on"
    + " each selected host until they match.")
public record GatewayDeploymentSpec(
    @JsonPropertyDescription(HostScoped.DESCRIPTION)
    LabelSelector hostSelector,
    @JsonPropertyDescription("Names of the stack's Docker networks; they must differ from each other and from the networks of"
        + " other GatewayDeployments on the same host.")
    @Default(Networks.DEFAULT) Networks networks,
    @JsonPropertyDescription("The OpenClaw gateway. It reaches Docker only through the socket proxy and the internet only"
        + " through the egress proxy.")
    @Required Gateway gateway,
    @JsonPropertyDescription("Optional reverse proxy: the only container with published ports, on the internal network and its"
        + " own ingress network.")
    IngressProxy ingressProxy,
    @JsonPropertyDescription("The Docker socket proxy (Tecnativa's docker-socket-proxy contract): the only container that mounts"
        + " /var/run/docker.sock; the gateway's DOCKER_HOST points at it.")
    @Required SocketProxy socketProxy,
    @JsonPropertyDescription("Optional LiteLLM model proxy on the internal network; its calls go out through the egress proxy.")
    ModelProxy modelProxy,
    @JsonPropertyDescription("Optional Redis cache on the internal network.") Cache cache,
    @JsonPropertyDescription("The Smokescreen egress proxy, the only container on both the internal and the egress network:"
        + " the other components reach the internet through it (HTTP(S)_PROXY), and only the referenced EgressAllowlist's"
        + " domains.")
    @Required EgressProxy egressProxy,
    @JsonPropertyDescription("Gateway-level tool denials, rendered into the gateway's openclaw.json.")
    @Default("{}") ToolDenials toolDenials,
    @JsonPropertyDescription("What to do with containers this deployment did not create that are found on its networks:"
        + " disconnect (default) detaches them, kill kills and detaches them, report only says so in status.")
    @Default("disconnect") ForeignContainers foreignContainers,
    @JsonPropertyDescription("The host baseline every container on the Docker host is held to, whoever made it: no privileged"
        + " container, no Docker socket or sensitive host path, no host namespace, no added capability, no unconfined seccomp or"
        + " AppArmor, no device.")
    @Default("{}") HostBaseline hostBaseline,
    @JsonPropertyDescription("Which models the gateway's agents may use: the primary and the allowed ones are rendered into"
        + " openclaw.json (agents.defaults.model.primary, agents.defaults.modelPolicy.allow); validate and audit also flag a"
        + " discouraged model for every agent whose tools can act (exec, browser, web). The seed's advice: for such agents, the"
        + " larger model, which resists prompt injection better.")
    ModelPolicy modelPolicy,
    @JsonPropertyDescription("The host around Docker as this deployment expects it (SSH, firewall, fail2ban, the daemon's"
        + " defaults): `run` checks it on an interval and reports the HostHardened condition, `audit --deep` reports each check."
        + " Without it, `run` does not check the host and `audit --deep` uses the defaults.")
    HostHardening hostHardening) implements HostScoped {

  public static final String USER_PATTERN = "^[0-9]+(:[0-9]+)?$";
  static final String USER = "Numeric uid[:gid] the container runs as (like 1000 or 1000:1000); default: the image's user.";
  static final String COMMAND = "Replaces the image's entrypoint, as in a Kubernetes container; default: the image's.";
  static final String ARGS = "Replaces the image's command (the entrypoint's arguments); default: the image's.";
  static final String ENV = "Extra environment variables; the operator's own (HTTP(S)_PROXY, NO_PROXY and, for the gateway,"
      + " DOCKER_HOST and OPENCLAW_*) win. A value that looks like a secret is refused: deliver it with secrets.";
  static final String SECRETS = "Secrets written into the container as files (mode 0600, owned by user) before it starts;"
      + " never environment variables.";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.internal != self.egress && self.internal != self.ingress && self.egress != self.ingress",
      message = "network names must differ")
  public record Networks(
      @JsonPropertyDescription("Bridge network with internal: true (no route out) joining every component; default"
          + " openclaw-net.")
      @Default(INTERNAL) @Pattern(NETWORK_NAME) String internal,
      @JsonPropertyDescription("Bridge network joining only the egress proxy: the stack's one way out; default egress-net.")
      @Default(EGRESS) @Pattern(NETWORK_NAME) String egress,
      @JsonPropertyDescription("Bridge network joining only the ingress proxy, created only with an ingressProxy; default"
          + " ingress-net.")
      @Default(INGRESS) @Pattern(NETWORK_NAME) String ingress) {
    public static final String NETWORK_NAME = "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$";
    static final String INTERNAL = "openclaw-net";
    static final String EGRESS = "egress-net";
    static final String INGRESS = "ingress-net";
    // Spelled out, not {}: the API server checks a default against the object's CEL rule as it is, without filling
    // in the nested defaults, and "{}" fails with "no such key: internal" when the CRD is created.
    static final String DEFAULT = "{\"internal\":\"" + INTERNAL + "\",\"egress\":\"" + EGRESS + "\",\"ingress\":\"" + INGRESS + "\"}";
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gateway(
      @JsonPropertyDescription("OpenClaw gateway image, like ghcr.io/openclaw/openclaw:<tag>.")
      @Required String image,
      @JsonPropertyDescription(ENV) Map<String, String> env,
      @JsonPropertyDescription(USER + " Secret files and the rendered openclaw.json are owned by it.")
      @Pattern(USER_PATTERN) String user,
      @JsonPropertyDescription("OpenClaw's state directory, bind-mounted at the same path on host and in the container (sandbox"
          + " bind sources are host paths); default /var/lib/openclaw.")
      @Default("/var/lib/openclaw") @Pattern("^/.+") String stateDir,
      @JsonPropertyDescription("Extra named volumes or host paths mounted into the gateway; none may expose the Docker socket"
          + " or overlap stateDir.")
      List<Volume> volumes,
      @JsonPropertyDescription(SECRETS) List<SecretMount> secrets,
      @JsonPropertyDescription("Memory, CPU and PIDs limits of the gateway container.")
      @Default("{}") Resources resources,
      @JsonPropertyDescription(COMMAND) List<String> command,
      @JsonPropertyDescription(ARGS) List<String> args,
      @JsonPropertyDescription("The user's base openclaw.json (it holds channel tokens, so it is a secret); the operator's keys"
          + " are merged over it and win.")
      ConfigSource configFrom,
      @JsonPropertyDescription("Files of the agent's workspace (SOUL.md, AGENTS.md ...), written into the agent workspace (the"
          + " SandboxPolicy's mounts.agentWorkspace, default <stateDir>/workspace, rendered as agents.defaults.workspace) owned by"
          + " user, and written again whenever they differ. OpenClaw reads them at every agent turn, so the gateway is not"
          + " restarted for them. At most 32.")
      @Size(max = 32) List<WorkspaceFile> workspaceFiles) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IngressProxy(
      @JsonPropertyDescription("Reverse proxy image, such as Caddy or nginx.")
      @Required String image,
      @JsonPropertyDescription("Ports published on the host; no other container publishes any.")
      List<PortMapping> ports,
      @JsonPropertyDescription(USER) @Pattern(USER_PATTERN) String user,
      @JsonPropertyDescription("Memory, CPU and PIDs limits of the ingress proxy container.")
      @Default("{}") Resources resources,
      @JsonPropertyDescription(COMMAND) List<String> command,
      @JsonPropertyDescription(ARGS) List<String> args) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.allow) || !self.allow.exists(a, a in ['BUILD', 'SECRETS', 'SWARM'])",
      message = "socketProxy.allow must not contain BUILD, SECRETS or SWARM", fieldPath = ".allow")
  public record SocketProxy(
      @JsonPropertyDescription("Image honouring Tecnativa's docker-socket-proxy variables, like"
          + " ghcr.io/tecnativa/docker-socket-proxy:v0.4.2.")
      @Required String image,
      @JsonPropertyDescription("Docker API sections and verbs the proxy lets through (set to 1); every other one is set to 0."
          + " BUILD, SECRETS and SWARM are refused. Default: CONTAINERS, IMAGES, EXEC, PING, POST, what OpenClaw's sandboxes"
          + " need.")
      @Default("[\"CONTAINERS\",\"IMAGES\",\"EXEC\",\"PING\",\"POST\"]") @Size(max = 32) List<SocketProxyGrant> allow,
      @JsonPropertyDescription("Memory, CPU and PIDs limits of the socket proxy container.")
      @Default("{}") Resources resources) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ModelProxy(
      @JsonPropertyDescription("LiteLLM image, like ghcr.io/berriai/litellm:<tag>.")
      @Required String image,
      @JsonPropertyDescription("Port LiteLLM listens on; the gateway's openclaw.json points its one model provider at"
          + " http://model-proxy:<port>. 1-65535, default 4000.")
      @Default("4000") @Min(1) @Max(65535) Integer port,
      @JsonPropertyDescription("The key the gateway presents to the model proxy (a LiteLLM master or virtual key, never a model"
          + " provider's key): written into the gateway as a secret file and named in openclaw.json as a file SecretRef.")
      SecretSource gatewayKey,
      @JsonPropertyDescription("The models the model proxy serves (LiteLLM's model_name), offered to the gateway's agents as"
          + " litellm/<id>. OpenClaw's catalog is then the model proxy's alone (models.mode: replace): no direct provider. At"
          + " most 64.")
      @Size(max = 64) List<Model> models,
      @JsonPropertyDescription(ENV) Map<String, String> env,
      @JsonPropertyDescription(USER + " Secret files are owned by it.") @Pattern(USER_PATTERN) String user,
      @JsonPropertyDescription(SECRETS + " Model providers' API keys belong here.") List<SecretMount> secrets,
      @JsonPropertyDescription("Memory, CPU and PIDs limits of the model proxy container.")
      @Default("{}") Resources resources,
      @JsonPropertyDescription(COMMAND) List<String> command,
      @JsonPropertyDescription(ARGS) List<String> args) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("A model the model proxy serves, as OpenClaw's models.providers.litellm.models[] lists it.")
  public record Model(
      @JsonPropertyDescription("The model's name at the model proxy (LiteLLM's model_name), like claude-opus-4-6; agents refer"
          + " to it as litellm/<id>.")
      @Required @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/-]*$") String id,
      @JsonPropertyDescription("Display name; default: the id.") String name,
      @JsonPropertyDescription("Context window in tokens; default: OpenClaw's.") @Min(1) Long contextWindow,
      @JsonPropertyDescription("Maximum output tokens; default: OpenClaw's.") @Min(1) Long maxTokens) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("Which models the agents may use, and which the deployment discourages.")
  public record ModelPolicy(
      @JsonPropertyDescription("The agents' default model, a provider/model reference like litellm/claude-opus-4-6; rendered as"
          + " agents.defaults.model.primary.")
      @Pattern(MODEL_REF) String primary,
      @JsonPropertyDescription("Model references the agents may switch to (an exact provider/model, an alias, or a wildcard over a"
          + " whole path segment like litellm/* or provider/namespace/*, as OpenClaw accepts them); rendered as"
          + " agents.defaults.modelPolicy.allow and into every agent's own modelPolicy. Empty or absent: any model.")
      @Size(max = 64) List<@Pattern(ALLOWED_REF) String> allowed,
      @JsonPropertyDescription("Models no agent whose tools can act (exec, browser, web) should use, with why: OpenClaw has no"
          + " setting for this, so validate and audit flag them.")
      @Size(max = 64) List<DiscouragedModel> discouraged) {
    public static final String MODEL_REF = "^[A-Za-z0-9][A-Za-z0-9._:/*-]*$";
    /** OpenClaw's modelPolicy.allow: a trailing wildcard only over a whole path segment (provider/*), never a name prefix. */
    public static final String ALLOWED_REF = "^[A-Za-z0-9][A-Za-z0-9._:-]*(/[A-Za-z0-9][A-Za-z0-9._:-]*)*(/[*])?$";
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("A model (or a wildcard of models) discouraged for agents whose tools can act.")
  public record DiscouragedModel(
      @JsonPropertyDescription("A provider/model reference; a trailing * matches every model whose reference starts with what precedes"
          + " it (litellm/claude-haiku-* too: this list is the operator's, not OpenClaw's).")
      @Required @Pattern(ModelPolicy.MODEL_REF) String model,
      @JsonPropertyDescription("Why, as validate and audit say it.") String reason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("The host hardening this deployment expects of its Docker host, checked where the host's files are visible"
      + " (on the host, or through --host-root).")
  public record HostHardening(
      @JsonPropertyDescription("The port sshd listens on. 1-65535, default 22.")
      @Default("22") @Min(1) @Max(65535) Integer sshPort,
      @JsonPropertyDescription("The account that deploys and administers the host; sshd's AllowUsers must name it. Default: only"
          + " that AllowUsers or AllowGroups is set.")
      @Pattern("^[a-z_][a-z0-9_.-]*[$]?$") String deployUser,
      @JsonPropertyDescription("The only ports UFW may let in; default [22, 443] (SSH and the ingress proxy's HTTPS).")
      @Default("[22,443]") @Size(max = 32) List<@Min(1) @Max(65535) Integer> allowedInboundPorts,
      @JsonPropertyDescription("Ports UFW may let in from Cloudflare's ranges only (the site is behind Cloudflare); default [443]."
          + " Empty: no such restriction.")
      @Default("[443]") @Size(max = 32) List<@Min(1) @Max(65535) Integer> cloudflarePorts,
      @JsonPropertyDescription("A file of Cloudflare's ranges, one CIDR a line (# comments allowed), like"
          + " https://www.cloudflare.com/ips-v4 and ips-v6 joined; relative to the manifest's directory. Default: the list the"
          + " operator ships (hack/update-cloudflare-ranges.sh refreshes it).")
      String cloudflareRangesFile,
      @JsonPropertyDescription("What /etc/docker/daemon.json must set; default: the seed's values.")
      @Default("{}") DaemonSettings daemon) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("The Docker daemon's settings the host is held to (daemon.json or dockerd's flags).")
  public record DaemonSettings(
      @JsonPropertyDescription("\"no-new-privileges\": true, so no container gains privileges through setuid; default true.")
      @Default("true") Boolean noNewPrivileges,
      @JsonPropertyDescription("\"icc\": false, so containers on the default bridge cannot talk to each other; default true.")
      @Default("true") Boolean iccDisabled,
      @JsonPropertyDescription("\"live-restore\": true, so containers keep running while dockerd restarts; default true.")
      @Default("true") Boolean liveRestore,
      @JsonPropertyDescription("\"userns-remap\" set, so root in a container is an unprivileged user on the host; default true.")
      @Default("true") Boolean usernsRemap) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cache(
      @JsonPropertyDescription("Redis image, like redis:7-alpine.")
      @Required String image,
      @JsonPropertyDescription(USER) @Pattern(USER_PATTERN) String user,
      @JsonPropertyDescription("Memory, CPU and PIDs limits of the cache container.")
      @Default("{}") Resources resources) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EgressProxy(
      @JsonPropertyDescription("Smokescreen image (Stripe's egress proxy).")
      @Required String image,
      @JsonPropertyDescription("The EgressAllowlist (same namespace) rendered into this proxy's ACL.") @Required NameRef allowlistRef,
      @JsonPropertyDescription("Port Smokescreen listens on; the other components' HTTP(S)_PROXY is"
          + " http://egress-proxy:<listenPort>. 1-65535, default 4750.")
      @Default("4750") @Min(1) @Max(65535) Integer listenPort,
      @JsonPropertyDescription(USER + " The ACL and config files are owned by it.") @Pattern(USER_PATTERN) String user,
      @JsonPropertyDescription("Memory, CPU and PIDs limits of the egress proxy container.")
      @Default("{}") Resources resources) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ToolDenials(
      @JsonPropertyDescription("Gateway-level tool denials, rendered into gateway.tools.deny of openclaw.json; default: gateway,"
          + " sessions_spawn, sessions_send, elevated, host_exec, docker, camera, canvas, cron.")
      @Default("[\"gateway\",\"sessions_spawn\",\"sessions_send\",\"elevated\",\"host_exec\",\"docker\",\"camera\",\"canvas\",\"cron\"]")
      List<String> gateway) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("The host baseline for containers no GatewayDeployment created and no SandboxPolicy governs: labels prove"
      + " nothing, since any client with POST can write them.")
  public record HostBaseline(
      @JsonPropertyDescription("report (default) records breaches of the baseline; enforce also kills them. With several"
          + " GatewayDeployments on one host the stricter wins.")
      @Default("report") Enforcement enforcement,
      @JsonPropertyDescription("TLS client-certificate users, as the Docker daemon sees them, whose requests the authorization plugin"
          + " exempts from the baseline (a socket-proxy client cannot present one).")
      List<@Size(max = 253) String> adminUsers) {
    public boolean enforcing() { return enforcement == Enforcement.ENFORCE; }
  }

  public enum Enforcement { @JsonProperty("enforce") ENFORCE, @JsonProperty("report") REPORT }

  public enum ForeignContainers {
    @JsonProperty("disconnect") DISCONNECT,
    @JsonProperty("kill") KILL,
    @JsonProperty("report") REPORT
  }
}
