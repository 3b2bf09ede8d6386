package io.openclaw.operator.api;

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
public record GatewayDeploymentSpec(
    @JsonPropertyDescription("Docker hosts this resource applies to (by host label); empty means every host.")
    LabelSelector hostSelector,
    @Default(Networks.DEFAULT) Networks networks,
    @Required Gateway gateway,
    @JsonPropertyDescription("Optional reverse proxy: the only container with published ports.") IngressProxy ingressProxy,
    @Required SocketProxy socketProxy,
    @JsonPropertyDescription("Optional LiteLLM model proxy.") ModelProxy modelProxy,
    @JsonPropertyDescription("Optional Redis cache.") Cache cache,
    @Required EgressProxy egressProxy,
    @Default("{}") ToolDenials toolDenials,
    @JsonPropertyDescription("What to do with containers found on the internal network that this deployment does not own.")
    @Default("disconnect") ForeignContainers foreignContainers) implements HostScoped {

  public static final String USER_PATTERN = "^[0-9]+(:[0-9]+)?$";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.internal != self.egress && self.internal != self.ingress && self.egress != self.ingress",
      message = "network names must differ")
  public record Networks(
      @JsonPropertyDescription("Bridge network with internal: true joining every component.")
      @Default(INTERNAL) @Pattern(NETWORK_NAME) String internal,
      @JsonPropertyDescription("Bridge network joining only the egress proxy.")
      @Default(EGRESS) @Pattern(NETWORK_NAME) String egress,
      @JsonPropertyDescription("Bridge network joining only the ingress proxy (created only with an ingressProxy).")
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
      @Required String image,
      Map<String, String> env,
      @JsonPropertyDescription("Numeric uid[:gid] the container runs as; secret files are owned by it.")
      @Pattern(USER_PATTERN) String user,
      @JsonPropertyDescription("OpenClaw's state directory, bind-mounted at the same path on host and in the container.")
      @Default("/var/lib/openclaw") @Pattern("^/.+") String stateDir,
      List<Volume> volumes,
      List<SecretMount> secrets,
      @Default("{}") Resources resources,
      List<String> command,
      List<String> args,
      @JsonPropertyDescription("The user's base openclaw.json; the operator's keys are merged over it.") ConfigSource configFrom) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IngressProxy(
      @Required String image,
      List<PortMapping> ports,
      @Pattern(USER_PATTERN) String user,
      @Default("{}") Resources resources,
      List<String> command,
      List<String> args) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.allow) || !self.allow.exists(a, a in ['BUILD', 'SECRETS', 'SWARM'])",
      message = "socketProxy.allow must not contain BUILD, SECRETS or SWARM", fieldPath = ".allow")
  public record SocketProxy(
      @Required String image,
      @JsonPropertyDescription("Docker API sections the proxy lets through; every other section is set to 0.")
      @Default("[\"CONTAINERS\",\"IMAGES\",\"EXEC\",\"PING\",\"POST\"]") @Size(max = 32) List<SocketProxyGrant> allow,
      @Default("{}") Resources resources) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ModelProxy(
      @Required String image,
      Map<String, String> env,
      @Pattern(USER_PATTERN) String user,
      List<SecretMount> secrets,
      @Default("{}") Resources resources,
      List<String> command,
      List<String> args) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cache(
      @Required String image,
      @Pattern(USER_PATTERN) String user,
      @Default("{}") Resources resources) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EgressProxy(
      @Required String image,
      @JsonPropertyDescription("The EgressAllowlist rendered into this proxy's ACL.") @Required NameRef allowlistRef,
      @Default("4750") @Min(1) @Max(65535) Integer listenPort,
      @Pattern(USER_PATTERN) String user,
      @Default("{}") Resources resources) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ToolDenials(
      @JsonPropertyDescription("Gateway-level tool denials, rendered into gateway.tools.deny of openclaw.json.")
      @Default("[\"gateway\",\"sessions_spawn\",\"sessions_send\",\"elevated\",\"host_exec\",\"docker\",\"camera\",\"canvas\",\"cron\"]")
      List<String> gateway) {}

  public enum ForeignContainers {
    @JsonProperty("disconnect") DISCONNECT,
    @JsonProperty("kill") KILL,
    @JsonProperty("report") REPORT
  }
}
