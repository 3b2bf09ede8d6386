package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a Kubernetes ConfigMap in the resource's namespace: for content that is no secret. */
@JsonClassDescription("A key of a Kubernetes ConfigMap in the resource's namespace.")
public record ConfigMapKeyRef(
    @JsonPropertyDescription("Name of the ConfigMap.") @Required String name,
    @JsonPropertyDescription("The key in the ConfigMap's data whose value is used.") @Required String key) {}
