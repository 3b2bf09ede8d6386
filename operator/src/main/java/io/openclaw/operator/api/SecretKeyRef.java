package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a Kubernetes Secret in the resource's namespace. */
@JsonClassDescription("A key of a Kubernetes Secret in the resource's namespace.")
public record SecretKeyRef(
    @JsonPropertyDescription("Name of the Secret.") @Required String name,
    @JsonPropertyDescription("The key in the Secret's data whose value is used.") @Required String key) {}
