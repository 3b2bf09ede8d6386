package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A published port of the ingress proxy: the only container with published ports. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortMapping(
    @Required @Min(1) @Max(65535) Integer containerPort,
    @Required @Min(1) @Max(65535) Integer hostPort,
    @Default("127.0.0.1") String hostIP,
    @Default("tcp") Protocol protocol) {

  public enum Protocol {
    @com.fasterxml.jackson.annotation.JsonProperty("tcp") TCP,
    @com.fasterxml.jackson.annotation.JsonProperty("udp") UDP
  }
}
