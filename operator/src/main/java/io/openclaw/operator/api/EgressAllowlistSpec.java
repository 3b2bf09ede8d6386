package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The allowed domains and what the egress proxy does with the rest, rendered into a Smokescreen ACL.")
public record EgressAllowlistSpec(
    @JsonPropertyDescription(HostScoped.DESCRIPTION)
    LabelSelector hostSelector,
    @JsonPropertyDescription("Hostnames the stack may reach (HTTPS CONNECT), in lower case, without scheme, path or port;"
        + " a leading *. matches every subdomain. No bare * and no wildcard over a public suffix (*.com). At most 256.")
    @Required @Size(max = 256)
    @ValidationRule(value = DomainRules.CEL_BARE_WILDCARD, message = DomainRules.BARE_WILDCARD)
    @ValidationRule(value = DomainRules.CEL_SCHEME, message = DomainRules.SCHEME)
    @ValidationRule(value = DomainRules.CEL_PATH, message = DomainRules.PATH)
    @ValidationRule(value = DomainRules.CEL_PORT, message = DomainRules.PORT)
    @ValidationRule(value = DomainRules.CEL_INNER_WILDCARD, message = DomainRules.INNER_WILDCARD)
    List<@Size(max = 253) String> domains,
    @JsonPropertyDescription("Hostnames only the model proxy may reach: the model providers' APIs, with the rules of domains. The"
        + " rendered ACL gives them to the model-proxy role alone, which the egress proxy finds by the request's source address"
        + " (it must resolve the model-proxy alias, as this project's Smokescreen build does); the gateway and every other"
        + " component reach domains only, so a compromised gateway cannot talk to a model provider with a key of its own. Stock"
        + " Smokescreen finds roles only by client certificate and refuses these to everyone. At most 64.")
    @Size(max = 64)
    @ValidationRule(value = DomainRules.CEL_BARE_WILDCARD, message = DomainRules.BARE_WILDCARD)
    @ValidationRule(value = DomainRules.CEL_SCHEME, message = DomainRules.SCHEME)
    @ValidationRule(value = DomainRules.CEL_PATH, message = DomainRules.PATH)
    @ValidationRule(value = DomainRules.CEL_PORT, message = DomainRules.PORT)
    @ValidationRule(value = DomainRules.CEL_INNER_WILDCARD, message = DomainRules.INNER_WILDCARD)
    List<@Size(max = 253) String> modelDomains,
    @JsonPropertyDescription("Smokescreen's action for anything not allowed: enforce (default) refuses it, report allows and"
        + " logs it, open allows it.")
    @Default("enforce") Action action,
    @JsonPropertyDescription("CIDR ranges refused in addition to Smokescreen's default private ranges, like 10.0.0.0/8; at"
        + " most 64.")
    @Size(max = 64) List<String> denyRanges,
    @JsonPropertyDescription("CIDR ranges admitted although private (an in-house model endpoint, a test bridge); at most 64. Smokescreen"
        + " checks them before denyRanges and its private-range default, so they win over both, and the status warns of them.")
    @Size(max = 64) List<String> allowRanges,
    @JsonPropertyDescription("Project name in the rendered ACL, which Smokescreen logs; default: the resource's name.")
    String project) implements HostScoped {

  public static final String CIDR = "^[0-9a-fA-F:.]+/[0-9]{1,3}$";

  public enum Action { @JsonProperty("enforce") ENFORCE, @JsonProperty("report") REPORT, @JsonProperty("open") OPEN }
}
