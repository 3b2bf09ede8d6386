package io.openclaw.operator.api;

import io.fabric8.generator.annotation.Required;

/** A key of a Kubernetes Secret in the resource's namespace. */
public record SecretKeyRef(@Required String name, @Required String key) {}
