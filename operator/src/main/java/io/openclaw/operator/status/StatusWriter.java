package io.openclaw.operator.status;

import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import java.util.Optional;

/**
 * Where status goes: the status subresource (Kubernetes) or a file per resource in the state directory. A status
 * is written only when it says something new.
 */
public interface StatusWriter {
  /** Writes the resource's status; {@code status.hosts()} carries this host's entry. Returns whether it wrote. */
  boolean write(ResourceKey key, KindStatus<?> status);

  /** The status as last written (or read back at start), for transition times and remembered state. */
  Optional<KindStatus<?>> read(ResourceKey key);

  /** The resource is gone: forget its status. */
  void remove(ResourceKey key);
}
