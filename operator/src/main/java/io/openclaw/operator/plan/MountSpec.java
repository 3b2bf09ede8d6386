package io.openclaw.operator.plan;

/** A bind (absolute source) or named volume mounted into a container. */
public record MountSpec(String source, String target, boolean readOnly) {
  public boolean bind() { return source.startsWith("/"); }

  /** The Binds form the daemon takes; a missing bind source is created by the daemon. */
  public String bindString() { return source + ":" + target + (readOnly ? ":ro" : ""); }
}
