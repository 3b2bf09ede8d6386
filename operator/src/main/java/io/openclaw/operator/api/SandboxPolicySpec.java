package io.openclaw.operator.api;

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
@ValidationRule(value = "self.network != 'host'", message = "network must not be host: a sandbox must never share the host's network",
    fieldPath = ".network")
public record SandboxPolicySpec(
    @JsonPropertyDescription("Docker hosts this resource applies to (by host label); empty means every host.")
    LabelSelector hostSelector,
    @JsonPropertyDescription("The GatewayDeployment whose sandboxes this policy governs.") @Required NameRef gatewayRef,
    @JsonPropertyDescription("Which containers are sandboxes.")
    @Default("{\"matchLabels\":{\"openclaw.sandbox\":\"1\"}}") LabelSelector selector,
    @JsonPropertyDescription("enforce acts on the host; report only records findings.")
    @Default("enforce") Enforcement enforcement,
    @Default("[\"ALL\"]") List<String> capDrop,
    @JsonPropertyDescription("Network mode every sandbox must have; none means no network at all.")
    @Default("none") @Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$") String network,
    @Default("none") WorkspaceAccess workspaceAccess,
    @Default("{}") Mounts mounts,
    @Default("{}") Resources resources,
    @Default("{}") Prune prune,
    @JsonPropertyDescription("At most this many sandboxes run at once; the newest beyond it are killed.")
    @Default("8") @Min(1) Integer maxConcurrent,
    @JsonPropertyDescription("Agent-level tool denials, rendered into tools.deny of openclaw.json.")
    @Default("[\"process\",\"browser\",\"nodes\",\"gateway\",\"sessions_spawn\",\"sessions_send\",\"elevated\",\"host_exec\",\"docker\",\"camera\",\"canvas\",\"cron\"]")
    List<String> toolDenials) implements HostScoped {

  public enum Enforcement { @JsonProperty("enforce") ENFORCE, @JsonProperty("report") REPORT }

  public enum WorkspaceAccess { @JsonProperty("none") NONE, @JsonProperty("ro") RO, @JsonProperty("rw") RW }

  /** Host paths; when absent they derive from the gateway's stateDir. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Mounts(
      @JsonPropertyDescription("Where OpenClaw keeps each sandbox's private workspace; default <stateDir>/sandboxes.")
      @Pattern("^/.*") String sandboxRoot,
      @JsonPropertyDescription("The agent's own workspace; default <stateDir>/workspace.")
      @Pattern("^/.*") String agentWorkspace) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prune(
      @JsonPropertyDescription("Remove a sandbox after this many hours without exec activity.")
      @Default("12") @Min(value = 0, inclusive = false) Double idleHours,
      @JsonPropertyDescription("Remove a sandbox this many days after it was created.")
      @Default("3") @Min(value = 0, inclusive = false) Double maxAgeDays,
      @JsonPropertyDescription("How long a due removal waits for a running exec to finish, e.g. 10m, 30s.")
      @Default("10m") @Pattern(Durations.PATTERN) String execGracePeriod) {}
}
