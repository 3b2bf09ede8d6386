package io.openclaw.operator.plan;

import java.util.Map;

/** A bridge network the operator owns: internal (no route out) or not. */
public record NetworkSpec(String name, boolean internal, Map<String, String> labels) {}
