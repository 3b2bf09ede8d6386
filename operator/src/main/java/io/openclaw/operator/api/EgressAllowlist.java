package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The domains the egress proxy lets the stack reach; everything else is refused. */
@JsonClassDescription("The domains the stack may reach through its egress proxy (Smokescreen, HTTPS CONNECT only);"
    + " everything else is refused. A GatewayDeployment names it in spec.egressProxy.allowlistRef.")
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("EgressAllowlist")
@Categories("openclaw")
@ShortNames("eal")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Domains", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.domains")
@AdditionalPrinterColumn(name = "ACL", type = AdditionalPrinterColumn.Type.STRING, priority = 1, jsonPath = ".status.aclHash")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class EgressAllowlist extends CustomResource<EgressAllowlistSpec, EgressAllowlistStatus> implements Namespaced {}
