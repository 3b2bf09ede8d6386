package io.openclaw.operator.controller;

import io.openclaw.operator.api.ResourceKey;
import java.time.Duration;
import java.util.Optional;

/** Level-triggered: reads the desired and the observed state afresh, never an event's payload. */
interface Reconciler {
  /** Brings the host in line for one resource and writes its status; returns when to look again, if at all. */
  Optional<Duration> reconcile(ResourceKey key) throws Exception;
}
