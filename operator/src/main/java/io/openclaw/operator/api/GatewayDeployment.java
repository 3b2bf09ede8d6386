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

/** The hardened OpenClaw gateway stack on one Docker host: two networks and up to six containers. */
@JsonClassDescription("The hardened OpenClaw gateway stack on each selected Docker host: the gateway, a Docker socket proxy"
    + " and an egress proxy, optionally a model proxy, a cache and an ingress proxy, on an internal network"
    + " with no route out. The operator keeps the host equal to this spec and reports in status.")
@Group(Api.GROUP)
@Version(Api.VERSION)
@Kind("GatewayDeployment")
@Categories("openclaw")
@ShortNames("gwd")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Components", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.componentsReady")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class GatewayDeployment extends CustomResource<GatewayDeploymentSpec, GatewayDeploymentStatus> implements Namespaced {}
