package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record EgressAllowlistStatus(
    Long observedGeneration,
    List<Condition> conditions,
    Integer domains,
    String aclHash,
    @ListMapKey("name") List<Host> hosts) implements KindStatus<EgressAllowlistStatus.Host> {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Host(
      String name,
      Long observedGeneration,
      List<Condition> conditions,
      String aclHash) implements HostStatus {}
}
