package io.openclaw.operator.plan;

import io.openclaw.operator.docker.ContainerView;
import java.util.List;

/**
 * What a planner decided about one container: the rules of its scope it breaks, and what the operator does about it
 * ({@code enforced}), or only reports it would do (report mode). {@code judging} is what it was judged against (for
 * the facts behind a pass); {@code note} says what else is worth knowing, such as when it is due for pruning. {@code audit} and {@code explain} render these; they never judge on their own.
 */
public record Verdict(ContainerView container, Rule.Scope scope, Judging judging, List<Violation> violations, List<Action> actions, boolean enforced,
    String note) {
  public boolean conforms() { return violations.isEmpty() && actions.isEmpty(); }
}
