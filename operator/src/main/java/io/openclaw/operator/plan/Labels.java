package io.openclaw.operator.plan;

/** The labels the operator writes and reads (DESIGN.md §3). */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "openclaw-docker-operator";
  public static final String OWNER = "hardening.openclaw.io/owner";
  public static final String COMPONENT = "hardening.openclaw.io/component";
  public static final String SPEC_HASH = "hardening.openclaw.io/spec-hash";

  /** OpenClaw's own sandbox labels. */
  public static final String SANDBOX = "openclaw.sandbox";
  public static final String SESSION_KEY = "openclaw.sessionKey";
  public static final String CREATED_AT_MS = "openclaw.createdAtMs";

  private Labels() {}

  public static boolean managed(java.util.Map<String, String> labels) { return MANAGER.equals(labels.get(MANAGED_BY)); }
}
