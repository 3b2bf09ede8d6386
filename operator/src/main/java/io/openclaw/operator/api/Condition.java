package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A kstatus condition: Ready, Reconciling or Stalled (or a kind's own, like a SandboxPolicy's Conforming). The schema is Kubernetes' own metav1.Condition (required
 * fields, patterns, lengths), so tools that read conditions generically find what they expect.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("One condition of the resource, in the shape of Kubernetes' metav1.Condition.")
public record Condition(
    @JsonPropertyDescription("Ready, Reconciling or Stalled (the kstatus trio); on a SandboxPolicy also Conforming, and"
        + " BreachRecurring on its host entries.")
    @Required @Size(max = 316) @Pattern(TYPE_PATTERN) String type,
    @JsonPropertyDescription("True, False or Unknown.")
    @Required @SchemaFrom(type = Status.class) String status,
    @JsonPropertyDescription("Why the condition has this status, one CamelCase word like Progressing, ProgressingWithRetry,"
        + " InvalidSpec or Conflict.")
    @Required @Size(min = 1, max = 1024) @Pattern(REASON_PATTERN) String reason,
    @JsonPropertyDescription("What the operator found or did, for people; may be empty.")
    @Required @Size(max = MAX_MESSAGE) String message,
    @JsonPropertyDescription("When the status last changed, RFC 3339 in UTC.")
    @Required @Format("date-time") String lastTransitionTime,
    @JsonPropertyDescription("The metadata.generation this condition was computed from; older than the resource's"
        + " generation means stale.")
    @Min(0) Long observedGeneration) {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  /** Upstream's patterns for metav1.Condition (k8s.io/apimachinery). */
  public static final String TYPE_PATTERN =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";
  public static final String REASON_PATTERN = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";
  /** The API server's limit on a condition's message. */
  public static final int MAX_MESSAGE = 32768;

  /** A message is required by the schema and bounded; a status write must never fail on it. */
  public Condition {
    if (message == null) message = "";
    else if (message.length() > MAX_MESSAGE) message = message.substring(0, MAX_MESSAGE - 3) + "...";
  }

  /** The values of {@code status}; only the schema uses this type, the field stays a string. */
  public enum Status { @JsonProperty("True") TRUE, @JsonProperty("False") FALSE, @JsonProperty("Unknown") UNKNOWN }

  public boolean holds() { return "True".equals(status); }

  /** Same meaning, ignoring when it was set: a status is only rewritten when this differs. */
  public boolean sameAs(Condition other) {
    return other != null && java.util.Objects.equals(type, other.type) && java.util.Objects.equals(status, other.status)
        && java.util.Objects.equals(reason, other.reason) && java.util.Objects.equals(message, other.message)
        && java.util.Objects.equals(observedGeneration, other.observedGeneration);
  }
}
