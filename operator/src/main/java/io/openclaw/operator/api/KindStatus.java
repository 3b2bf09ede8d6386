package io.openclaw.operator.api;

import java.util.List;

/** What every kind's status has: the kstatus trio at the top, and one entry per Docker host. */
public interface KindStatus<H extends HostStatus> {
  /** Descriptions of the fields every kind's status shares, one wording for all three CRDs. */
  String OBSERVED_GENERATION = "The metadata.generation the top-level conditions describe; equal to metadata.generation"
      + " once the operator has reported on the current spec.";
  String CONDITIONS = "Ready, Reconciling and Stalled (kstatus), summarised over every host's entry: Stalled if a host"
      + " reporting the current generation is, else Reconciling if one is or a host has not yet reported the current"
      + " generation (reason WaitingForHosts), else Ready. Stalled is only for what a person must fix (InvalidSpec,"
      + " Conflict, a referenced Secret, file, image or gateway missing past the grace period, LimitUnsupported); a"
      + " retried error is Reconciling with reason ProgressingWithRetry, the error named by Ready's reason and message."
      + " Stalled with reason InvalidSpec means the spec was refused and the last valid one stays in force.";
  String HOSTS = "One entry per Docker host, keyed by name; each host's operator writes only its own entry (server-side"
      + " apply, one field manager per host).";
  String HOST_NAME = "The Docker host's name: the operator's --host-name, by default the daemon's name.";
  String HOST_OBSERVED_GENERATION = "The metadata.generation this host last reconciled.";
  String HOST_CONDITIONS = "This host's Ready, Reconciling and Stalled conditions, of its observedGeneration.";

  Long observedGeneration();

  List<Condition> conditions();

  List<H> hosts();
}
