package io.openclaw.operator.api;

/** Names shared by the whole API. */
public final class Api {
  public static final String GROUP = "hardening.openclaw.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  private Api() {}
}
