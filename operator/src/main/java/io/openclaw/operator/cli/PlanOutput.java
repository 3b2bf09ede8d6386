package io.openclaw.operator.cli;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.SandboxPlanner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code plan} prints for the plans of a host, as text (Terraform-style: each action with its sign, type,
 * target and reason; what is only reported with ?; a summary that never claims more than was planned) or JSON
 * ({@code {resources: [{resource, planned, note, conflicts, actions: [{change, type, target, reason: {code, detail},
 * carriedOut}]}], summary: {add, change, remove, reported, unplanned, invalid}}}). What is printed is what run carries out.
 */
public final class PlanOutput {
  private static final Pattern ACTION_LINE = Pattern.compile("^  [+~-] (\\S+) +(.+)$");

  private PlanOutput() {}

  /** What the plan comes to: actions to carry out, actions only reported, resources that could not be planned. */
  public static final class Tally {
    int add;
    int change;
    int remove;
    int reported;
    int unplanned;
    /** Resources (or whole files) skipped as invalid before planning: planned neither, so never "no changes". */
    int invalid;

    public int changes() { return add + change + remove; }
  }

  /** One resource's part of the plan (or the host baseline's). */
  private record Section(String resource, String note, boolean planned, List<String> conflicts, List<Action> actions, List<Action> reported) {}

  /** {@code invalid}: how many resources or files the caller skipped as invalid (it has said which). */
  public static Tally render(List<Manifest> declared, HostPlans.All plans, int invalid, PrintWriter out) {
    Tally tally = new Tally();
    tally.invalid = invalid;
    for (Section s : sections(declared, plans)) {
      if (s.resource().equals(BASELINE) && s.actions().isEmpty() && s.reported().isEmpty()) continue;
      out.println(s.resource().equals(BASELINE) ? "host baseline (every container the operator did not create and no SandboxPolicy governs)"
          : s.resource());
      if (!s.note().isEmpty()) out.println("  " + s.note());
      s.conflicts().forEach(c -> out.println("  ! conflict, nothing would be done: " + c));
      s.actions().forEach(a -> {
        out.printf("  %c %-20s %s%n      because %s%n", sign(a), a.type(), a.target(), a.reason());
        count(tally, a);
      });
      s.reported().forEach(a -> out.printf("  ? %-20s %s%n      because %s%n", a.type(), a.target(), a.reason()));
      tally.reported += s.reported().size();
      if (!s.planned() || !s.conflicts().isEmpty()) tally.unplanned++;
      if (s.planned() && s.conflicts().isEmpty() && s.actions().isEmpty() && s.reported().isEmpty()) out.println("  no changes");
    }
    out.println(summary(tally));
    return tally;
  }

  public static ObjectNode json(List<Manifest> declared, HostPlans.All plans, int invalid) {
    Tally tally = new Tally();
    tally.invalid = invalid;
    ObjectNode root = Yaml.JSON.createObjectNode();
    ArrayNode resources = root.putArray("resources");
    for (Section s : sections(declared, plans)) {
      ObjectNode r = resources.addObject().put("resource", s.resource()).put("planned", s.planned()).put("note", s.note());
      ArrayNode conflicts = r.putArray("conflicts");
      s.conflicts().forEach(conflicts::add);
      ArrayNode actions = r.putArray("actions");
      s.actions().forEach(a -> {
        action(actions.addObject(), a, true);
        count(tally, a);
      });
      s.reported().forEach(a -> action(actions.addObject(), a, false));
      tally.reported += s.reported().size();
      if (!s.planned() || !s.conflicts().isEmpty()) tally.unplanned++;
    }
    root.putObject("summary").put("add", tally.add).put("change", tally.change).put("remove", tally.remove).put("reported", tally.reported)
        .put("unplanned", tally.unplanned).put("invalid", tally.invalid);
    return root;
  }

  /** The actions as printed ("type target"), to compare with what {@code run} carries out. */
  public static List<String> printedActions(List<Manifest> declared, HostPlans.All plans) {
    StringWriter text = new StringWriter();
    render(declared, plans, 0, new PrintWriter(text));
    List<String> out = new ArrayList<>();
    for (String l : text.toString().split("\n")) {
      Matcher m = ACTION_LINE.matcher(l);
      if (m.matches()) out.add(m.group(1) + " " + m.group(2));
    }
    return out;
  }

  /** One action as it is printed: its type and target. */
  public static String line(Action a) { return a.type() + " " + a.target(); }

  private static final String BASELINE = "HostBaseline";

  private static List<Section> sections(List<Manifest> declared, HostPlans.All plans) {
    List<Section> out = new ArrayList<>();
    for (Manifest m : sorted(declared, GatewayDeployment.class)) {
      HostPlans.GatewayResult result = plans.gateways().get(m.key());
      if (result instanceof HostPlans.GatewayResult.Unplannable u) {
        out.add(new Section(m.key().toString(), "cannot plan (" + u.reason() + "): " + u.message(), false, List.of(), List.of(), List.of()));
      } else if (result instanceof HostPlans.GatewayResult.Planned p) {
        var plan = p.plan();
        out.add(new Section(m.key().toString(), "", true, plan.conflicts(), plan.conflicts().isEmpty() ? plan.actions() : List.of(), plan.reported()));
      }
    }
    for (Manifest m : sorted(declared, SandboxPolicy.class)) {
      SandboxPlanner.Plan plan = plans.policies().get(m.key());
      if (plan == null) {
        out.add(new Section(m.key().toString(), "cannot plan: its GatewayDeployment is not declared", false, List.of(), List.of(), List.of()));
        continue;
      }
      String mode = plan.policy().enforcing() ? "" : " (enforcement: report, so run would only report these)";
      out.add(new Section(m.key().toString(), plan.verdicts().size() + " sandbox(es) selected" + mode, true, List.of(), plan.actions(), plan.reported()));
    }
    out.add(new Section(BASELINE, "", true, List.of(), plans.baseline().actions(), plans.baseline().reported()));
    return out;
  }

  private static void action(ObjectNode o, Action a, boolean carriedOut) {
    o.put("change", switch (sign(a)) { case '+' -> "add"; case '-' -> "remove"; default -> "change"; }).put("type", a.type()).put("target", a.target());
    o.putObject("reason").put("code", a.reason().code()).put("detail", a.reason().detail());
    o.put("carriedOut", carriedOut);
  }

  private static char sign(Action a) {
    String type = a.type();
    if (type.startsWith("create") || type.startsWith("connect") || type.startsWith("start") || type.startsWith("unpause")) return '+';
    if (type.startsWith("remove") || type.startsWith("kill") || type.startsWith("disconnect")) return '-';
    return '~';
  }

  private static void count(Tally t, Action a) {
    switch (sign(a)) {
      case '+' -> t.add++;
      case '-' -> t.remove++;
      default -> t.change++;
    }
  }

  /** Never more than was checked: resources that could not be planned are counted, not passed over. */
  static String summary(Tally t) {
    String unplanned = (t.unplanned == 0 ? "" : "; " + t.unplanned + " resource(s) could not be planned (see above)")
        + (t.invalid == 0 ? "" : "; " + t.invalid + " invalid resource(s) or file(s) skipped (see above)");
    String reported = t.reported == 0 ? "" : "; " + t.reported + " finding(s) only reported";
    if (t.changes() == 0) {
      return (t.unplanned == 0 && t.invalid == 0 ? "No changes: the Docker host matches the declared state" : "No changes for the resources that could be planned")
          + reported + unplanned + ".";
    }
    return "Plan: " + t.add + " to add, " + t.change + " to change, " + t.remove + " to remove or kill" + reported + unplanned + ".";
  }

  private static List<Manifest> sorted(List<Manifest> declared, Class<?> kind) {
    return declared.stream().filter(m -> kind.isInstance(m.resource())).sorted(Comparator.comparing(Manifest::key)).toList();
  }
}
