package io.openclaw.operator.status;

import io.openclaw.operator.api.EgressAllowlistStatus;
import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.SandboxPolicyStatus;
import io.openclaw.operator.api.Yaml;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Each kind's status type, for reading a status back from a file or from the cluster. */
final class StatusTypes {
  private static final Map<String, Class<? extends KindStatus<?>>> TYPES = Map.of(
      "GatewayDeployment", GatewayDeploymentStatus.class,
      "SandboxPolicy", SandboxPolicyStatus.class,
      "EgressAllowlist", EgressAllowlistStatus.class);

  private StatusTypes() {}

  static boolean known(String kind) { return TYPES.containsKey(kind); }

  /** A status tree as its kind's type; empty for a kind this API does not have. */
  static Optional<KindStatus<?>> read(String kind, JsonNode status) {
    Class<? extends KindStatus<?>> type = TYPES.get(kind);
    return type == null ? Optional.empty() : Optional.of(Yaml.JSON.treeToValue(status, type));
  }
}
