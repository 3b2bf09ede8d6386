package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A published port of the ingress proxy: the only container with published ports. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A port the ingress proxy publishes on the host.")
public record PortMapping(
    @JsonPropertyDescription("Port inside the container, 1-65535.")
    @Required @Min(1) @Max(65535) Integer containerPort,
    @JsonPropertyDescription("Port on the host, 1-65535; each hostIP:hostPort/protocol at most once.")
    @Required @Min(1) @Max(65535) Integer hostPort,
    @JsonPropertyDescription("Host address the port is published on; default 127.0.0.1 (this host only), 0.0.0.0 for every"
        + " interface.")
    @Default("127.0.0.1") String hostIP,
    @JsonPropertyDescription("tcp (default) or udp.") @Default("tcp") Protocol protocol) {

  public enum Protocol {
    @com.fasterxml.jackson.annotation.JsonProperty("tcp") TCP,
    @com.fasterxml.jackson.annotation.JsonProperty("udp") UDP
  }
}
