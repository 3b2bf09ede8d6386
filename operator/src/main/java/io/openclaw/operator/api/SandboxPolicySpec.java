package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The caps a gateway's sandboxes must keep; a sandbox that breaks one is brought in line or removed.")
@ValidationRule(value = "self.network != 'host'", message = "network must not be host: a sandbox must never share the host's network",
    fieldPath = ".network")
public record SandboxPolicySpec(
    @JsonPropertyDescription(HostScoped.DESCRIPTION)
    LabelSelector hostSelector,
    @JsonPropertyDescription("The GatewayDeployment (same namespace) whose sandboxes this policy governs; one policy per"
        + " gateway.")
    @Required NameRef gatewayRef,
    @JsonPropertyDescription("Which containers are sandboxes, by container label; default openclaw.sandbox=1, the label"
        + " OpenClaw sets. Must name at least one label.")
    @Default("{\"matchLabels\":{\"openclaw.sandbox\":\"1\"}}") LabelSelector selector,
    @JsonPropertyDescription("enforce (default) acts on the host; report only records findings and changes nothing.")
    @Default("enforce") Enforcement enforcement,
    @JsonPropertyDescription("Linux capabilities every sandbox must drop; must contain ALL (the default).")
    @Default("[\"ALL\"]") List<String> capDrop,
    @JsonPropertyDescription("Docker network mode every sandbox must have; default none (no network at all), host is"
        + " refused. A sandbox may not publish ports.")
    @Default("none") @Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$") String network,
    @JsonPropertyDescription("A sandbox's access to the agent's workspace (mounts.agentWorkspace): none (default), ro"
        + " (read-only) or rw. Its own workspace under mounts.sandboxRoot is always allowed; any other bind is a breach.")
    @Default("none") WorkspaceAccess workspaceAccess,
    @JsonPropertyDescription("Host paths the mount rules refer to; by default derived from the gateway's stateDir.")
    @Default("{}") Mounts mounts,
    @JsonPropertyDescription("Caps on each sandbox's memory (swap counted), CPU and PIDs; a sandbox with no limits or"
        + " higher ones is updated in place.")
    @Default("{}") Resources resources,
    @JsonPropertyDescription("When idle or old sandboxes are removed.")
    @Default("{}") Prune prune,
    @JsonPropertyDescription("At most this many sandboxes run at once on a host; the newest beyond it are killed. At least 1,"
        + " default 8.")
    @Default("8") @Min(1) Integer maxConcurrent,
    @JsonPropertyDescription("Agent-level tool denials, rendered into tools.deny of openclaw.json; default: process,"
        + " browser, nodes, gateway, sessions_spawn, sessions_send, elevated, host_exec, docker, camera, canvas, cron.")
    @Default("[\"process\",\"browser\",\"nodes\",\"gateway\",\"sessions_spawn\",\"sessions_send\",\"elevated\",\"host_exec\",\"docker\",\"camera\",\"canvas\",\"cron\"]")
    List<String> toolDenials) implements HostScoped {

  public enum Enforcement { @JsonProperty("enforce") ENFORCE, @JsonProperty("report") REPORT }

  public enum WorkspaceAccess { @JsonProperty("none") NONE, @JsonProperty("ro") RO, @JsonProperty("rw") RW }

  /** Host paths; when absent they derive from the gateway's stateDir. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Mounts(
      @JsonPropertyDescription("Host directory under which OpenClaw keeps each sandbox's private workspace; default"
          + " <stateDir>/sandboxes.")
      @Pattern("^/.*") String sandboxRoot,
      @JsonPropertyDescription("Host path of the agent's own workspace; default <stateDir>/workspace.")
      @Pattern("^/.*") String agentWorkspace) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prune(
      @JsonPropertyDescription("Remove a sandbox after this many hours without exec activity; more than 0, default 12.")
      @Default("12") @Min(value = 0, inclusive = false) Double idleHours,
      @JsonPropertyDescription("Remove a sandbox this many days after it was created; more than 0, default 3.")
      @Default("3") @Min(value = 0, inclusive = false) Double maxAgeDays,
      @JsonPropertyDescription("How long a due removal waits for a running exec to finish, like 30s, 10m or 1h; default 10m.")
      @Default("10m") @Pattern(Durations.PATTERN) String execGracePeriod) {}
}
