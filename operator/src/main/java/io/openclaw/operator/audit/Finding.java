package io.openclaw.operator.audit;

import io.openclaw.operator.plan.Severity;

/**
 * One finding, shaped like OpenClaw's own {@code security audit} entries, plus the object it is about (a container,
 * network, policy, "daemon" or "host") and where it came from ("operator", or "openclaw" for the gateway's own audit).
 * No field ever carries a secret value.
 */
public record Finding(String checkId, Severity severity, String title, String detail, String remediation, String object, String source) {
  public static final String OPERATOR = "operator";
  public static final String OPENCLAW = "openclaw";

  /** Findings are keyed by check and object: one rule never reports one object twice. */
  public String key() { return source + "|" + checkId + "|" + object; }
}
