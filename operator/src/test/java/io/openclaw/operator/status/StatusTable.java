package io.openclaw.operator.status;

import io.openclaw.operator.api.Condition;
import io.openclaw.operator.api.Yaml;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The table of status reasons as README "Status" shows it: for each {@link StatusReason} (a missing input twice, within
 * and past the grace period) the conditions it gives and the health Argo CD and Flux (kstatus) are meant to read.
 */
final class StatusTable {
  private StatusTable() {}

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  static final String HEADER = "| reason | Ready | Reconciling | Stalled | Argo CD | Flux (kstatus) | when |";

  /** One row: the reason, its outcome, and the health each tool should show. */
  record Row(StatusReason reason, boolean pastGrace, Outcome outcome, String argoCd, String kstatus) {
    String label() {
      String word = "`" + reason.word + "`";
      if (reason.handling != StatusReason.Handling.MISSING) return word;
      return word + (pastGrace ? " past the grace period" : " within the grace period");
    }

    List<Condition> conditions(long generation) {
      List<Condition> out = new ArrayList<>(outcome.conditions(generation, null, CLOCK));
      if (reason == StatusReason.NON_CONFORMING) {
        out.add(new Condition(StatusAssembler.CONFORMING, "False", reason.word, "1 sandbox(es) break the policy", "2026-01-02T03:04:05Z",
            generation));
      }
      return out;
    }

    /** The resource as a GitOps tool sees it: current generation observed, these conditions. */
    ObjectNode object(String kind) {
      ObjectNode o = Yaml.JSON.createObjectNode();
      o.put("apiVersion", "hardening.openclaw.io/v1alpha1");
      o.put("kind", kind);
      o.putObject("metadata").put("name", "openclaw").put("namespace", "openclaw").put("generation", 3);
      ObjectNode status = o.putObject("status");
      status.put("observedGeneration", 3);
      status.set("conditions", Yaml.tree(conditions(3)));
      return o;
    }

    String markdown() {
      List<Condition> c = conditions(3);
      String ready = cell(c, Condition.READY) + (reason == StatusReason.NON_CONFORMING ? ", and Conforming=False" : "");
      return "| " + label() + " | " + ready + " | " + cell(c, Condition.RECONCILING) + " | " + cell(c, Condition.STALLED) + " | " + argoCd
          + " | " + kstatus + " | " + reason.when + " |";
    }
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (StatusReason r : StatusReason.values()) {
      String message = "sample message for " + r.word;
      if (r.handling == StatusReason.Handling.MISSING) {
        rows.add(row(r, false, r.outcome(message, false)));
        rows.add(row(r, true, r.outcome(message, true)));
      } else {
        rows.add(row(r, false, r.outcome(message)));
      }
    }
    return rows;
  }

  /** What the outcome's state is meant to show: the contract the chart's health checks and kstatus are held to. */
  private static Row row(StatusReason r, boolean pastGrace, Outcome o) {
    return switch (o.state()) {
      case READY -> new Row(r, pastGrace, o, "Healthy", "Current");
      case PROGRESSING, RETRYING -> new Row(r, pastGrace, o, "Progressing", "InProgress");
      case STALLED -> new Row(r, pastGrace, o, "Degraded", "Failed");
    };
  }

  /** {@code True}, or {@code False (Reason)} where the reason says something (not the resting Idle/Healthy). */
  private static String cell(List<Condition> conditions, String type) {
    Condition c = conditions.stream().filter(x -> x.type().equals(type)).findFirst().orElseThrow();
    boolean resting = c.reason().equals("Idle") || c.reason().equals("Healthy") || c.reason().equals("Ready");
    return c.status() + (resting ? "" : " (" + c.reason() + ")");
  }
}
