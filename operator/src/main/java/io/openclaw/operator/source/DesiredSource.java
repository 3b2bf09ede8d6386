package io.openclaw.operator.source;

import io.openclaw.operator.status.StatusWriter;

/** Where desired state comes from: a manifest directory (the embedded default) or a Kubernetes cluster. */
public interface DesiredSource extends AutoCloseable {
  /** Loads everything into the store, then keeps it current until closed. */
  void start(DesiredStore store) throws Exception;

  StatusWriter statusWriter();

  SecretReader secrets();

  /** A resource's teardown is complete (finalizer removed, status file deleted). */
  default void released(io.openclaw.operator.api.ResourceKey key) {}

  @Override
  void close();
}
