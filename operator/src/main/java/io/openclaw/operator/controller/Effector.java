package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.plan.Action;

/** Carries out one planned action for the resource it was planned for; {@link Executor} does it with the Docker API. */
@FunctionalInterface
interface Effector {
  void apply(ResourceKey owner, Action action);

  /** Report mode: the action is decided but not carried out (nothing to do on the host). */
  default void reported(ResourceKey owner, Action action) {}
}
