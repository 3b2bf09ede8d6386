package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the operator found and did; written by the operator only.")
public record EgressAllowlistStatus(
    @JsonPropertyDescription(OBSERVED_GENERATION) Long observedGeneration,
    @JsonPropertyDescription(CONDITIONS + " Ready means every egress proxy using the list runs its current ACL.")
    @ListMapKey("type") List<Condition> conditions,
    @JsonPropertyDescription("Number of domains in the list in force.") Integer domains,
    @JsonPropertyDescription(ACL_HASH) String aclHash,
    @JsonPropertyDescription(HOSTS) @ListMapKey("name") List<Host> hosts) implements KindStatus<EgressAllowlistStatus.Host> {

  static final String ACL_HASH = "SHA-256 (hex) of the Smokescreen ACL rendered from the list in force; absent while no"
      + " valid list was ever seen.";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonClassDescription("The list on one Docker host.")
  public record Host(
      @JsonPropertyDescription(HOST_NAME) String name,
      @JsonPropertyDescription(HOST_OBSERVED_GENERATION) Long observedGeneration,
      @JsonPropertyDescription(HOST_CONDITIONS) @ListMapKey("type") List<Condition> conditions,
      @JsonPropertyDescription(ACL_HASH) String aclHash) implements HostStatus {}
}
