package io.openclaw.operator.controller;

import io.openclaw.operator.api.validation.Problem;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusReason;
import java.util.List;

/** The outcome of a resource whose current spec is refused: why, and what stays in force meanwhile. */
final class Refusal {
  private Refusal() {}

  /** Conflict when the spec collides with another resource, InvalidSpec otherwise; the last valid version stays in force. */
  static Outcome of(DesiredStore.Entry entry) {
    StatusReason reason = entry.problems().stream().anyMatch(p -> p.isError() && p.conflict()) ? StatusReason.CONFLICT : StatusReason.INVALID_SPEC;
    String kept = entry.inForce() == null ? ""
        : " (the last valid " + (entry.inForce().key().kind().equals("EgressAllowlist") ? "list" : "spec") + " stays in force)";
    return reason.outcome(summary(entry) + kept);
  }

  private static String summary(DesiredStore.Entry entry) {
    List<Problem> errors = entry.problems().stream().filter(Problem::isError).toList();
    if (errors.isEmpty()) return "";
    String text = String.join("; ", errors.stream().map(p -> (p.file() == null ? "" : p.file().getFileName() + ":" + p.line() + ": ")
        + p.describe()).toList());
    return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
  }
}
