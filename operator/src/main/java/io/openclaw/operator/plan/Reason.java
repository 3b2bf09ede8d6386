package io.openclaw.operator.plan;

/**
 * Why an action is taken: the checkId of the rule behind it (a metrics label, bounded) and the detail a person
 * reads. Details never carry secret values or exec command lines.
 */
public record Reason(String code, String detail) {
  public static Reason of(Rule rule, String detail) { return new Reason(rule.checkId, detail); }

  /** Named by the first rule broken; the detail lists every violation with its own check id. */
  public static Reason of(java.util.List<Violation> violations) {
    return of(violations.get(0).rule(), String.join("; ", violations.stream().map(Violation::toString).toList()));
  }

  /** The rule this reason names. */
  public java.util.Optional<Rule> rule() { return Rule.byCheckId(code); }

  /** The check id once: a detail built from violations ({@link #of(java.util.List)}) already begins with it. */
  @Override
  public String toString() { return detail.startsWith(code + ": ") ? detail : code + ": " + detail; }
}
