package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxPolicyStatus(
    Long observedGeneration,
    List<Condition> conditions,
    Integer running,
    @ListMapKey("name") List<Host> hosts) implements KindStatus<SandboxPolicyStatus.Host> {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Host(
      String name,
      Long observedGeneration,
      List<Condition> conditions,
      Integer running,
      Integer conforming,
      Long remediated,
      List<EnforcementAction> lastActions,
      @ListMapKey("containerId") List<ExecActivity> execActivity) implements HostStatus {}

  /** One remediation on the host: which sandbox, which rule it broke, what was done. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnforcementAction(String container, String containerId, String rule, String action, String time) {}

  /** When a sandbox last ran an exec: idle pruning survives an operator restart through this. */
  public record ExecActivity(String containerId, String lastExecAt) {}
}
