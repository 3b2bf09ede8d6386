package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayDeploymentStatus(
    Long observedGeneration,
    List<Condition> conditions,
    String componentsReady,
    @ListMapKey("name") List<Host> hosts) implements KindStatus<GatewayDeploymentStatus.Host> {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Host(
      String name,
      Long observedGeneration,
      List<Condition> conditions,
      @ListMapKey("name") List<Component> components) implements HostStatus {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Component(
      String name,
      String containerName,
      String containerId,
      String image,
      String state,
      Integer restartCount,
      Boolean conforming) {}
}
