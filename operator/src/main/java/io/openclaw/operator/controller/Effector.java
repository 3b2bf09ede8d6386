package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.plan.Action;

/** Carries out one planned action for the resource it was planned for; {@link Executor} does it with the Docker API. */
@FunctionalInterface
interface Effector {
  void apply(ResourceKey owner, Action action);
}
