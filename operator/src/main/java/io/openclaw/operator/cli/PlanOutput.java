package io.openclaw.operator.cli;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.host.HostPlans;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.BaselinePlanner;
import io.openclaw.operator.plan.SandboxPlanner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code plan} prints for the plans of a host: every action with its reason, what is only reported, a summary. */
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

    public int changes() { return add + change + remove; }
  }

  /** The actions as printed ("type target"), to compare with what {@code run} carries out. */
  public static List<String> printedActions(List<Manifest> declared, HostPlans.All plans) {
    StringWriter text = new StringWriter();
    render(declared, plans, new PrintWriter(text));
    List<String> out = new ArrayList<>();
    for (String l : text.toString().split("\n")) {
      Matcher m = ACTION_LINE.matcher(l);
      if (m.matches()) out.add(m.group(1) + " " + m.group(2));
    }
    return out;
  }

  /** One action as it is printed: its type and target. */
  public static String line(Action a) { return a.type() + " " + a.target(); }

  /**
   * Prints every plan of the host, Terraform-style: each action with its sign (+ add, ~ change, - remove or kill), type,
   * target and reason; what is only reported with ?; then the summary. What is printed is what run carries out.
   */
  public static Tally render(List<Manifest> declared, HostPlans.All plans, PrintWriter out) {
    Tally tally = new Tally();
    for (Manifest m : sorted(declared, GatewayDeployment.class)) planGateway(out, m, plans.gateways().get(m.key()), tally);
    for (Manifest m : sorted(declared, SandboxPolicy.class)) planPolicy(out, m, Optional.ofNullable(plans.policies().get(m.key())), tally);
    planBaseline(out, plans.baseline(), tally);
    out.println(summary(tally));
    return tally;
  }

  /** Never more than was checked: resources that could not be planned are counted, not passed over. */
  private static String summary(Tally t) {
    String unplanned = t.unplanned == 0 ? "" : "; " + t.unplanned + " resource(s) could not be planned (see above)";
    String reported = t.reported == 0 ? "" : "; " + t.reported + " finding(s) only reported";
    if (t.changes() == 0) {
      return (t.unplanned == 0 ? "No changes: the Docker host matches the declared state" : "No changes for the resources that could be planned")
          + reported + unplanned + ".";
    }
    return "Plan: " + t.add + " to add, " + t.change + " to change, " + t.remove + " to remove or kill" + reported + unplanned + ".";
  }

  private static void planGateway(PrintWriter out, Manifest m, HostPlans.GatewayResult result, Tally tally) {
    out.println(m.key());
    if (result instanceof HostPlans.GatewayResult.Unplannable u) {
      out.println("  cannot plan (" + u.reason() + "): " + u.message());
      tally.unplanned++;
      return;
    }
    var plan = ((HostPlans.GatewayResult.Planned) result).plan();
    plan.conflicts().forEach(c -> out.println("  ! conflict, nothing would be done: " + c));
    if (plan.conflicts().isEmpty()) plan.actions().forEach(a -> print(out, a, tally));
    plan.reported().forEach(a -> report(out, a, tally));
    if (!plan.conflicts().isEmpty()) tally.unplanned++;
    if (plan.actions().isEmpty() && plan.conflicts().isEmpty()) out.println("  no changes");
  }

  private static void planPolicy(PrintWriter out, Manifest m, Optional<SandboxPlanner.Plan> planned, Tally tally) {
    out.println(m.key());
    if (planned.isEmpty()) {
      out.println("  cannot plan: its GatewayDeployment is not declared");
      tally.unplanned++;
      return;
    }
    SandboxPlanner.Plan plan = planned.get();
    String mode = plan.policy().enforcing() ? "" : " (enforcement: report, so run would only report these)";
    out.println("  " + plan.verdicts().size() + " sandbox(es) selected" + mode);
    plan.actions().forEach(a -> print(out, a, tally));
    plan.reported().forEach(a -> report(out, a, tally));
    if (plan.decided().isEmpty()) out.println("  no changes");
  }

  private static void planBaseline(PrintWriter out, BaselinePlanner.Plan plan, Tally tally) {
    if (plan.actions().isEmpty() && plan.reported().isEmpty()) return;
    out.println("host baseline (every container the operator did not create and no SandboxPolicy governs)");
    plan.actions().forEach(a -> print(out, a, tally));
    plan.reported().forEach(a -> report(out, a, tally));
  }

  private static void report(PrintWriter out, Action a, Tally tally) {
    out.printf("  ? %-20s %s%n      because %s%n", a.type(), a.target(), a.reason());
    tally.reported++;
  }

  private static void print(PrintWriter out, Action a, Tally tally) {
    String type = a.type();
    char sign;
    if (type.startsWith("create") || type.startsWith("connect") || type.startsWith("start") || type.startsWith("unpause")) {
      sign = '+';
      tally.add++;
    } else if (type.startsWith("remove") || type.startsWith("kill") || type.startsWith("disconnect")) {
      sign = '-';
      tally.remove++;
    } else {
      sign = '~';
      tally.change++;
    }
    out.printf("  %c %-20s %s%n      because %s%n", sign, type, a.target(), a.reason());
  }

  private static List<Manifest> sorted(List<Manifest> declared, Class<?> kind) {
    return declared.stream().filter(m -> kind.isInstance(m.resource())).sorted(Comparator.comparing(Manifest::key)).toList();
  }
}
