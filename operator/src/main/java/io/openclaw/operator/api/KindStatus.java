package io.openclaw.operator.api;

import java.util.List;

/** What every kind's status has: the kstatus trio at the top, and one entry per Docker host. */
public interface KindStatus<H extends HostStatus> {
  Long observedGeneration();

  List<Condition> conditions();

  List<H> hosts();
}
