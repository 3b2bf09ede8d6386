package io.openclaw.operator.plan;

import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.plan.rules.PathCanon;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host baseline (DESIGN.md §5): every container on the host that the operator did not create and no
 * SandboxPolicy governs — labelled or not, since labels are forgeable by any client with POST — is judged by the
 * baseline rules; a breach is killed and removed when the baseline is enforced, and reported otherwise. Containers
 * the operator recorded as its own but whose resource is gone (orphans) are removed only where that deletion was
 * explicit (Kubernetes mode, or {@code run --prune}). Pure.
 */
public final class BaselinePlanner {
  private BaselinePlanner() {}

  /**
   * @param enforce whether breaches are killed (the strictest of the host's GatewayDeployments decides)
   * @param exempt containers judged elsewhere: the operator's own, governed sandboxes, those an admin identity created
   * @param orphans recorded containers of resources that are no longer declared, by id, with the resource they belonged to
   * @param removeOrphans whether orphans are removed (else reported)
   */
  public record Inputs(boolean enforce, Set<String> exempt, Set<String> beingRemoved, Map<String, String> orphans, boolean removeOrphans,
      Judging.Baseline baseline, PathCanon canon, HostCapabilities capabilities) {}

  /** Actions to carry out, actions only reported (report mode, orphans kept), and a verdict per judged container. */
  public record Plan(List<Action> actions, List<Action> reported, List<Verdict> verdicts) {}

  public static Plan plan(Collection<ContainerView> containers, Inputs in) {
    Judging judging = Judging.baseline(in.baseline(), in.canon(), in.capabilities());
    List<Action> actions = new ArrayList<>();
    List<Action> reported = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    for (ContainerView c : containers) {
      if (in.beingRemoved().contains(c.id()) || c.state().equals("removing") || c.state().equals("dead")) continue;
      String orphanOf = in.orphans().get(c.id());
      if (orphanOf != null) {
        Action remove = new Action.RemoveContainer(c.id(), c.name(), false, Reason.of(Rule.ORPHAN,
            c.name() + " was created for " + orphanOf + ", which is no longer declared"));
        (in.removeOrphans() ? actions : reported).add(remove);
        verdicts.add(new Verdict(c, Rule.Scope.STACK, judging, List.of(), List.of(remove), in.removeOrphans(), ""));
        continue;
      }
      if (in.exempt().contains(c.id())) continue;
      List<Violation> broken = Rule.judge(Rule.Scope.BASELINE, c, judging);
      List<Action> forThis = broken.isEmpty() ? List.of() : List.of(new Action.RemoveContainer(c.id(), c.name(), true,
          Reason.of(broken)));
      (in.enforce() ? actions : reported).addAll(forThis);
      verdicts.add(new Verdict(c, Rule.Scope.BASELINE, judging, broken, forThis, in.enforce(), ""));
    }
    return new Plan(actions, reported, verdicts);
  }
}
