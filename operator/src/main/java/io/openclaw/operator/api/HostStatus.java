package io.openclaw.operator.api;

import java.util.List;

/** One Docker host's view of a resource; each operator instance writes only its own entry. */
public interface HostStatus {
  String name();

  Long observedGeneration();

  List<Condition> conditions();
}
