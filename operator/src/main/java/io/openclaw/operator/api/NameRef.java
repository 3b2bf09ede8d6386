package io.openclaw.operator.api;

import io.fabric8.generator.annotation.Required;

/** A reference to another resource of this API in the same namespace. */
public record NameRef(@Required String name) {}
