package io.openclaw.operator.plan;

/** The containers of a GatewayDeployment, in the order they are brought up. */
public enum Component {
  SOCKET_PROXY("socketProxy", "socket-proxy"),
  EGRESS_PROXY("egressProxy", "egress-proxy"),
  CACHE("cache", "cache"),
  MODEL_PROXY("modelProxy", "model-proxy"),
  GATEWAY("gateway", "gateway"),
  INGRESS_PROXY("ingressProxy", "ingress-proxy");

  /** The spec field and the value of the component label. */
  public final String field;
  /** The container name suffix and the network alias other components use. */
  public final String alias;

  Component(String field, String alias) {
    this.field = field;
    this.alias = alias;
  }

  public String containerName(String deployment) { return deployment + "-" + alias; }

  public static java.util.Optional<Component> byField(String field) {
    for (Component c : values()) if (c.field.equals(field)) return java.util.Optional.of(c);
    return java.util.Optional.empty();
  }
}
