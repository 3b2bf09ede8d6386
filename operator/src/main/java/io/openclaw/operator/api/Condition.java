package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A kstatus condition: Ready, Reconciling or Stalled. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    String type,
    String status,
    String reason,
    String message,
    String lastTransitionTime,
    Long observedGeneration) {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  public boolean holds() { return "True".equals(status); }

  /** Same meaning, ignoring when it was set: a status is only rewritten when this differs. */
  public boolean sameAs(Condition other) {
    return other != null && java.util.Objects.equals(type, other.type) && java.util.Objects.equals(status, other.status)
        && java.util.Objects.equals(reason, other.reason) && java.util.Objects.equals(message, other.message)
        && java.util.Objects.equals(observedGeneration, other.observedGeneration);
  }
}
