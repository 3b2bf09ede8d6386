package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record EgressAllowlistSpec(
    @JsonPropertyDescription("Docker hosts this resource applies to (by host label); empty means every host.")
    LabelSelector hostSelector,
    @JsonPropertyDescription("Hostnames the stack may reach (HTTPS CONNECT); a leading *. matches subdomains.")
    @Required @Size(max = 256)
    // In DomainRules.check's order, each rule skipping the entries an earlier one refuses: the server, like
    // validate, names one problem per entry (https://x:1/ is a scheme problem, not also a path and a port one).
    @ValidationRule(value = "self.all(d, d != '*')", message = DomainRules.BARE_WILDCARD)
    @ValidationRule(value = "self.all(d, !d.contains('://'))", message = DomainRules.SCHEME)
    @ValidationRule(value = "self.all(d, d.contains('://') || !d.contains('/'))", message = DomainRules.PATH)
    @ValidationRule(value = "self.all(d, d.contains('/') || !d.contains(':'))", message = DomainRules.PORT)
    @ValidationRule(value = "self.all(d, d == '*' || d.contains('/') || d.contains(':')"
        + " || (d.size() < 2 || !d.substring(1).contains('*')) && (!d.startsWith('*') || d.startsWith('*.')))",
        message = DomainRules.INNER_WILDCARD)
    List<@Size(max = 253) String> domains,
    @JsonPropertyDescription("Smokescreen's action for anything not allowed: enforce refuses, report logs, open allows.")
    @Default("enforce") Action action,
    @JsonPropertyDescription("CIDR ranges refused in addition to Smokescreen's private-range default.")
    @Size(max = 64) List<String> denyRanges,
    @JsonPropertyDescription("Project name in the rendered ACL; defaults to the resource's name.") String project) implements HostScoped {

  public static final String CIDR = "^[0-9a-fA-F:.]+/[0-9]{1,3}$";

  public enum Action { @JsonProperty("enforce") ENFORCE, @JsonProperty("report") REPORT, @JsonProperty("open") OPEN }
}
