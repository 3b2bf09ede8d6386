package io.openclaw.operator.audit;

import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * For the seed's denial names that are no tools ({@link io.openclaw.operator.plan.render.OpenClawConfig#NOT_TOOLS}):
 * whether the setting that really does what the name meant is in force in a live openclaw.json.
 */
final class ToolDenials {
  private ToolDenials() {}

  /** Why the denial of {@code name} is not covered by a real setting, or empty (also for names that are tools). */
  static Optional<String> uncovered(String name, JsonNode config, Set<String> denied) {
    switch (name) {
      case "elevated" -> {
        JsonNode enabled = config.path("tools").path("elevated").path("enabled");
        return enabled.isBoolean() && !enabled.asBoolean() ? Optional.empty() : Optional.of("tools.elevated.enabled is not false");
      }
      case "host_exec" -> {
        boolean sandboxed = "sandbox".equals(config.path("tools").path("exec").path("host").asString(""))
            && "all".equals(config.path("agents").path("defaults").path("sandbox").path("mode").asString(""));
        return sandboxed ? Optional.empty() : Optional.of("tools.exec.host is not \"sandbox\" or agents.defaults.sandbox.mode is not \"all\"");
      }
      case "camera" -> {
        return denied.contains("nodes") ? Optional.empty() : Optional.of("nodes, the tool that reaches the camera, is not denied");
      }
      default -> {
        // "docker" has no setting: what it meant (no socket for sandboxes, only the proxy for the gateway) is judged by the container rules.
        return Optional.empty();
      }
    }
  }
}
