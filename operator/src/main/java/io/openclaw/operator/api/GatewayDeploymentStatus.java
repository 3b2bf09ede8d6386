package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the operator found and did; written by the operator only.")
public record GatewayDeploymentStatus(
    @JsonPropertyDescription(OBSERVED_GENERATION) Long observedGeneration,
    @JsonPropertyDescription(CONDITIONS) @ListMapKey("type") List<Condition> conditions,
    @JsonPropertyDescription("Components that run and match the spec, out of those declared, like 4/5, on the host that"
        + " wrote the status last.")
    String componentsReady,
    @JsonPropertyDescription(HOSTS) @ListMapKey("name") List<Host> hosts) implements KindStatus<GatewayDeploymentStatus.Host> {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("The stack on one Docker host.")
  public record Host(
      @JsonPropertyDescription(HOST_NAME) String name,
      @JsonPropertyDescription(HOST_OBSERVED_GENERATION) Long observedGeneration,
      @JsonPropertyDescription(HOST_CONDITIONS) @ListMapKey("type") List<Condition> conditions,
      @JsonPropertyDescription("One entry per declared component, keyed by name.")
      @ListMapKey("name") List<Component> components) implements HostStatus {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("One container of the stack.")
  public record Component(
      @JsonPropertyDescription("The component: gateway, socketProxy, egressProxy, modelProxy, cache or ingressProxy.")
      String name,
      @JsonPropertyDescription("The container's name: <GatewayDeployment name>-<component>, like openclaw-socket-proxy.")
      String containerName,
      @JsonPropertyDescription("The container's full ID, of a container this deployment created (recorded when it was"
          + " created); absent while there is none. An operator that lost its state directory knows its containers by it.")
      String containerId,
      @JsonPropertyDescription("The image the container was created from, as the daemon reports it.") String image,
      @JsonPropertyDescription("Docker's state of the container (created, running, paused, restarting, exited, dead), or"
          + " missing when there is none.")
      String state,
      @JsonPropertyDescription("How often Docker has restarted the container.") Integer restartCount,
      @JsonPropertyDescription("True when the container runs and matches the spec; false while the operator still has to"
          + " create, fix or start it.")
      Boolean conforming) {}
}
