package io.openclaw.operator.plan;

/** A rule a container breaks, and how, in words safe to log (no values of env or command). */
public record Violation(Rule rule, String detail) {
  @Override
  public String toString() { return rule.checkId + ": " + detail; }
}
