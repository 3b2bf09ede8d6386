package io.openclaw.operator.api;

/** A spec that may apply to some Docker hosts only (spec.hostSelector, matched against the host's labels). */
public interface HostScoped {
  /** The label every host carries implicitly: its own name. */
  String HOST_NAME_LABEL = "hardening.openclaw.io/host";
  /** spec.hostSelector's description in every kind's CRD. */
  String DESCRIPTION = "Docker hosts this resource applies to, by host label (the operator's --host-label); every host also"
      + " carries " + HOST_NAME_LABEL + "=<its name>. Absent or empty means every host.";

  LabelSelector hostSelector();

  /** No selector, or an empty one, means every host. */
  default boolean selects(java.util.Map<String, String> hostLabels) {
    return hostSelector() == null || hostSelector().matches(hostLabels);
  }
}
