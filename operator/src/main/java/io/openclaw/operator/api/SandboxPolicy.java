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

/** The caps every agent sandbox created by a gateway must keep, enforced on the host. */
@JsonClassDescription("The caps every agent sandbox of one GatewayDeployment must keep. They are rendered into the"
    + " gateway's openclaw.json, so OpenClaw creates conforming sandboxes, and enforced on the host: limits"
    + " are lowered in place, isolation breaches are killed and removed.")
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("SandboxPolicy")
@Categories("openclaw")
@ShortNames("sbp")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Running", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.running")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class SandboxPolicy extends CustomResource<SandboxPolicySpec, SandboxPolicyStatus> implements Namespaced {}
