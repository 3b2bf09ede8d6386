package io.openclaw.operator.plan;

/**
 * Why an action is taken: the checkId of the rule behind it (a metrics label, bounded) and the detail a person
 * reads. Details never carry secret values or exec command lines.
 */
public record Reason(String code, String detail) {
  public static Reason of(Rule rule, String detail) { return new Reason(rule.checkId, detail); }

  /** The rule this reason names. */
  public java.util.Optional<Rule> rule() { return Rule.byCheckId(code); }

  /** The check id once: a detail built from violations already begins with its own ("sandbox.mounts: bind ..."). */
  @Override
  public String toString() { return detail.startsWith(code + ": ") ? detail : code + ": " + detail; }
}
