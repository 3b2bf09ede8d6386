package io.openclaw.operator.api.validation;

import io.openclaw.operator.api.EgressAllowlistSpec;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.SandboxPolicySpec;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.plan.render.ModelChoice;
import io.openclaw.operator.plan.render.ModelRouting;
import io.openclaw.operator.plan.render.OpenClawConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * validate's model rules for a GatewayDeployment: provider keys and endpoints belong in the model proxy, never in the
 * gateway's environment or base openclaw.json; and the agents whose tools can act run no discouraged model, judged on
 * the openclaw.json the operator would render (the base is read where files are on this machine).
 */
final class ModelRules {
  private ModelRules() {}

  static void gateway(Manifest m, GatewayDeploymentSpec spec, SandboxPolicySpec policy, EgressAllowlistSpec allowlist, boolean checkFiles,
      List<Problem> out) {
    boolean proxy = spec.modelProxy() != null;
    List<String> modelDomains = allowlist == null || allowlist.modelDomains() == null ? List.of() : allowlist.modelDomains();
    if (spec.gateway().env() != null) {
      spec.gateway().env().forEach((name, value) -> {
        if (SecretPatterns.envReason(name, value).isPresent()) return; // already refused as a secret in the environment
        ModelRouting.providerVariable(name, value, modelDomains).ifPresent(why -> {
          String text = why + ": " + (proxy ? "the gateway's model calls go through the model proxy, which holds the provider keys and endpoints"
              : "the gateway would call a model provider itself; declare spec.modelProxy so provider keys live only there");
          out.add(proxy ? m.problem("spec.gateway.env." + name, text) : m.warning("spec.gateway.env." + name, text));
        });
      });
    }
    JsonNode base = null;
    var source = spec.gateway().configFrom();
    if (checkFiles && source != null && source.file() != null && source.secretRef() == null) {
      Path file = m.resolvable(source.file()).orElse(null);
      if (file != null && Files.isRegularFile(file) && Files.isReadable(file)) {
        try {
          base = OpenClawConfig.parseBase(Files.readAllBytes(file));
        } catch (java.io.IOException | RuntimeException e) {
          out.add(m.problem("spec.gateway.configFrom.file", "is not a JSON5 object: " + file));
        }
      }
    }
    if (base != null) {
      for (String route : ModelRouting.directRoutes(base, proxy ? ModelRouting.baseUrl(spec.modelProxy()) : null, modelDomains)) {
        if (proxy) {
          out.add(m.problem("spec.gateway.configFrom.file", route + ": provider keys and endpoints belong in the model proxy (the operator"
              + " leaves this out of the rendered openclaw.json)"));
        } else {
          out.add(m.warning("spec.gateway.configFrom.file", route + ": the gateway calls a model provider itself; declare spec.modelProxy"
              + " so provider keys live only there"));
        }
      }
    }
    if (proxy && allowlist != null && modelDomains.isEmpty()) {
      out.add(m.warning("spec.egressProxy.allowlistRef", "the EgressAllowlist lists no modelDomains: the gateway reaches the same domains"
          + " as the model proxy, the model providers' included; list those under modelDomains so only the model proxy reaches them"));
    }
    var modelPolicy = spec.modelPolicy();
    if (modelPolicy == null) return;
    JsonNode rendered = Yaml.JSON.readTree(OpenClawConfig.render(base, spec, policy, null));
    for (String problem : ModelChoice.problems(rendered, modelPolicy)) out.add(m.warning("spec.modelPolicy", problem));
  }
}
