package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;

/** Work on the fast sandbox queue: one container's check, or one policy's concurrency cap. */
public sealed interface SandboxKey {
  record Container(String id) implements SandboxKey {}

  /** A sandbox just created: judged on the container list, which does not wait for its start. */
  record Early(String id) implements SandboxKey {}

  record Cap(ResourceKey policy) implements SandboxKey {}
}
