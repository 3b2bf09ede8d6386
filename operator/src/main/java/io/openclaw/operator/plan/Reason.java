package io.openclaw.operator.plan;

/**
 * Why an action is taken: a short code (a metrics label, bounded) and the detail a person reads. Details never
 * carry secret values or exec command lines.
 */
public record Reason(String code, String detail) {
  public static Reason of(String code, String detail) { return new Reason(code, detail); }

  @Override
  public String toString() { return code + ": " + detail; }
}
