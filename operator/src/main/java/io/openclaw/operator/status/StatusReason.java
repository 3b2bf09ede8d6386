package io.openclaw.operator.status;

/**
 * Every reason the operator reports, and how each is handled: THE table of status reasons (README "Status" prints
 * it, and a test keeps the two the same). What is retried is Reconciling; Stalled is only for what a person must fix.
 */
public enum StatusReason {
  READY("Ready", Handling.READY, "everything as declared (the message says what: components, sandboxes, the ACL in force)"),
  NON_CONFORMING("NonConforming", Handling.READY, "SandboxPolicy in report mode finds breaches: doing what it was told; the"
      + " findings are in Ready's message and in Conforming=False"),
  PROGRESSING("Progressing", Handling.PROGRESSING, "changes applied (or an egress proxy not yet on the new ACL); the next look"
      + " confirms them"),
  REMEDIATING("Remediating", Handling.PROGRESSING, "SandboxPolicy enforcing: sandboxes that break it are being fixed or removed"),
  WAITING_FOR_HOSTS("WaitingForHosts", Handling.PROGRESSING, "summary only: a host acting on the resource has not reported the"
      + " current generation yet (down, or still at work)"),
  NO_HOST("NoHost", Handling.PROGRESSING, "summary only: no host has reported on the resource (none selected, or none up)"),
  ACTION_FAILED("ActionFailed", Handling.RETRIED, "the Docker daemon refused an action; retried with backoff"),
  IMAGE_UNAVAILABLE("ImageUnavailable", Handling.MISSING, "an image is neither on the host nor pullable; running containers are"
      + " left as they are"),
  SECRET_UNAVAILABLE("SecretUnavailable", Handling.MISSING, "a Secret, key or secret file cannot be read (watched: its arrival is"
      + " seen at once)"),
  GATEWAY_NOT_FOUND("GatewayNotFound", Handling.MISSING, "the SandboxPolicy's GatewayDeployment has no valid version"),
  INVALID_SPEC("InvalidSpec", Handling.STALLED, "the spec is refused (schema or the API's rules); the last valid one stays in force"),
  CONFLICT("Conflict", Handling.STALLED, "the spec collides with another resource, or a name is taken by a container the"
      + " operator did not create"),
  INVALID_CONFIG("InvalidConfig", Handling.STALLED, "the base openclaw.json (configFrom) is not a JSON object"),
  LIMIT_UNSUPPORTED("LimitUnsupported", Handling.STALLED, "the kernel lacks swap, PIDs or CFS limit support");

  /** How a reason is reported. */
  public enum Handling {
    READY,
    /** Reconciling=True with the reason itself. */
    PROGRESSING,
    /** Reconciling=True, reason ProgressingWithRetry; Ready=False names the error. */
    RETRIED,
    /** Retried like RETRIED for the grace period ({@code run --stall-after}, 2 minutes), then Stalled; the retries go on. */
    MISSING,
    /** Stalled=True at once. */
    STALLED
  }

  public final String word;
  public final Handling handling;
  public final String when;

  StatusReason(String word, Handling handling, String when) {
    this.word = word;
    this.handling = handling;
    this.when = when;
  }

  /** The outcome this reason gives; {@code pastGrace} matters only for a missing input. */
  public Outcome outcome(String message, boolean pastGrace) {
    return switch (handling) {
      case READY -> Outcome.ready(message);
      case PROGRESSING -> Outcome.reconciling(word, message);
      case RETRIED -> Outcome.retrying(word, message);
      case MISSING -> pastGrace ? Outcome.stalled(word, message) : Outcome.retrying(word, message);
      case STALLED -> Outcome.stalled(word, message);
    };
  }

  public Outcome outcome(String message) { return outcome(message, false); }

  /** The reason with this word, if the operator reports it. */
  public static java.util.Optional<StatusReason> of(String word) {
    return java.util.Arrays.stream(values()).filter(r -> r.word.equals(word)).findFirst();
  }
}
