package io.openclaw.operator.audit;

import io.openclaw.operator.plan.render.ModelChoice;
import io.openclaw.operator.plan.render.ModelRouting;
import io.openclaw.operator.plan.render.OpenClawConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's model layer as it runs, which no planner acts on: a provider's key or endpoint in its environment (the
 * planner redelivers openclaw.json but cannot change a running container's environment; validate refuses such a spec),
 * and the model each agent whose tools can act runs, against spec.modelPolicy (OpenClaw has no setting for a
 * discouraged model). The live openclaw.json's own routes are the planner's rule component.model_routing.
 */
final class ModelChecks {
  private ModelChecks() {}

  static void judge(Stack stack, Optional<byte[]> liveConfig, Verdicts v) {
    if (stack.gateway() == null) return;
    String object = stack.gateway().name();
    List<String> env = ModelRouting.providerEnvironment(stack.gateway().env(), List.of());
    StackChecks.verdict(v, Check.GATEWAY_PROVIDER_ENV, object, env.isEmpty() ? null : String.join("; ", env),
        "no model provider's key or endpoint in the environment");
    if (stack.declared() == null || stack.declared().getSpec().modelPolicy() == null || liveConfig.isEmpty()) return;
    JsonNode config;
    try {
      config = OpenClawConfig.parseBase(liveConfig.get());
    } catch (RuntimeException e) {
      return; // tools.deny_missing already says the file is unreadable
    }
    List<String> discouraged = new ArrayList<>();
    List<String> notAllowed = new ArrayList<>();
    for (String p : ModelChoice.problems(config, stack.declared().getSpec().modelPolicy())) {
      (p.contains("spec.modelPolicy.allowed does not list") ? notAllowed : discouraged).add(p);
    }
    StackChecks.verdict(v, Check.MODEL_DISCOURAGED, object, discouraged.isEmpty() ? null : String.join("; ", discouraged),
        "no agent that can act runs or may switch to a discouraged model");
    StackChecks.verdict(v, Check.MODEL_NOT_ALLOWED, object, notAllowed.isEmpty() ? null : String.join("; ", notAllowed),
        "every agent runs an allowed model");
  }
}
