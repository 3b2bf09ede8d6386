package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the operator found and did; written by the operator only.")
public record SandboxPolicyStatus(
    @JsonPropertyDescription(OBSERVED_GENERATION) Long observedGeneration,
    @JsonPropertyDescription(CONDITIONS + " Conforming is False while a host reporting the current generation finds a sandbox"
        + " that breaks the policy (or more than maxConcurrent running).")
    @ListMapKey("type") List<Condition> conditions,
    @JsonPropertyDescription("Sandboxes running under this policy, summed over all hosts.") Integer running,
    @JsonPropertyDescription(HOSTS) @ListMapKey("name") List<Host> hosts) implements KindStatus<SandboxPolicyStatus.Host> {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("The policy's sandboxes on one Docker host.")
  public record Host(
      @JsonPropertyDescription(HOST_NAME) String name,
      @JsonPropertyDescription(HOST_OBSERVED_GENERATION) Long observedGeneration,
      @JsonPropertyDescription(HOST_CONDITIONS + " Conforming=False lists the sandboxes that break the policy (in report"
          + " mode the resource stays Ready: reporting is what it was told to do). BreachRecurring=True means one OpenClaw"
          + " session keeps producing the same breach: fix the cause in OpenClaw's config.")
      @ListMapKey("type") List<Condition> conditions,
      @JsonPropertyDescription("Sandboxes running on this host.") Integer running,
      @JsonPropertyDescription("Sandboxes on this host, running or not, that keep every rule of the policy.") Integer conforming,
      @JsonPropertyDescription("Actions taken on this host's sandboxes so far (limits lowered, sandboxes killed or removed);"
          + " report mode takes none.")
      Long remediated,
      @JsonPropertyDescription("The 20 most recent of those actions, newest first.") List<EnforcementAction> lastActions,
      @JsonPropertyDescription("When each sandbox last ran an exec, keyed by containerId: idle pruning counts from it, also"
          + " across operator restarts.")
      @ListMapKey("containerId") List<ExecActivity> execActivity) implements HostStatus {}

  /** One remediation on the host: which sandbox, which rule it broke, what was done. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("One action on a sandbox: which one, why, what was done and when.")
  public record EnforcementAction(
      @JsonPropertyDescription("The sandbox container's name.") String container,
      @JsonPropertyDescription("The sandbox container's full ID.") String containerId,
      @JsonPropertyDescription("Why: the rule broken (like sandbox.mounts or sandbox.memory) or the prune reason"
          + " (sandbox.idle, sandbox.max_age, sandbox.max_concurrent).")
      String rule,
      @JsonPropertyDescription("What was done: update_limits, kill_container or remove_container.") String action,
      @JsonPropertyDescription("When, RFC 3339 in UTC.") String time) {}

  /** When a sandbox last ran an exec: idle pruning survives an operator restart through this. */
  @JsonClassDescription("The last exec activity of one sandbox.")
  public record ExecActivity(
      @JsonPropertyDescription("The sandbox container's full ID.") String containerId,
      @JsonPropertyDescription("When an exec last started or ended in it, RFC 3339 in UTC.") String lastExecAt) {}
}
