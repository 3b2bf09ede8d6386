package io.openclaw.operator.plan;

import java.util.Locale;

/** OpenClaw's own three levels, most severe first. */
public enum Severity {
  CRITICAL, WARN, INFO;

  /** As OpenClaw writes it: critical, warn, info. */
  public String label() { return name().toLowerCase(Locale.ROOT); }

  /** OpenClaw's word for a level; anything unknown counts as info rather than being dropped. */
  public static Severity of(String label) {
    for (Severity s : values()) if (s.label().equalsIgnoreCase(label)) return s;
    if ("warning".equalsIgnoreCase(label)) return WARN;
    return INFO;
  }
}
