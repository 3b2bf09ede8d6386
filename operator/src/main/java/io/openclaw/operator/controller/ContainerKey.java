package io.openclaw.operator.controller;

/**
 * Work on the fast queue: one container judged the moment it changes, by whatever governs it (its SandboxPolicy, or
 * the host baseline). {@code early}: just created, judged from the container list, which does not wait for its start.
 */
record ContainerKey(String id, boolean early) {}
