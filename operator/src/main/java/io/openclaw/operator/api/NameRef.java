package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A reference to another resource of this API in the same namespace. */
@JsonClassDescription("A reference to another resource of this API in the same namespace.")
public record NameRef(@JsonPropertyDescription("The referenced resource's metadata.name.") @Required String name) {}
