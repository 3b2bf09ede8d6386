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

  /**
   * This host stopped acting on a resource that still exists: its entry goes, {@code rest} (the other hosts' entries and
   * their summary) stays. Where only this host writes (a status file), the status simply goes.
   */
  default void withdraw(ResourceKey key, KindStatus<?> rest) { remove(key); }

  /** Told when a resource's status, as the store of statuses has it, was changed by someone (another host). */
  default void onChange(java.util.function.Consumer<ResourceKey> listener) {}

  /** The same statuses, read but never written: for a process that only follows them (the plugin alone). */
  static StatusWriter readOnly(StatusWriter statuses) {
    return new StatusWriter() {
      @Override
      public boolean write(ResourceKey key, KindStatus<?> status) { return false; }

      @Override
      public Optional<KindStatus<?>> read(ResourceKey key) { return statuses.read(key); }

      @Override
      public void remove(ResourceKey key) {}

      @Override
      public void withdraw(ResourceKey key, KindStatus<?> rest) {}

      @Override
      public void onChange(java.util.function.Consumer<ResourceKey> listener) { statuses.onChange(listener); }
    };
  }
}
