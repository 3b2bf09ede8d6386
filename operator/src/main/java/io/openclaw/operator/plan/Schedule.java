package io.openclaw.operator.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * When a plan's actions may run: stages one after another; within a stage its chains at once, since none needs
 * another; within a chain its actions in order, since each needs the one before (a host directory before the
 * container that binds it, a kill before the disconnect of the same container). Decided by the planner, which knows
 * what needs what; the executor only follows it.
 */
public record Schedule(List<Stage> stages) {
  /** {@code what}: why the stage is a stage of its own (for logs and tests). */
  public record Stage(String what, List<List<Action>> chains) {
    public List<Action> actions() { return chains.stream().flatMap(List::stream).toList(); }
  }

  public static final Schedule EMPTY = new Schedule(List.of());

  /** Every action, in the order a one-at-a-time run would take them. */
  public List<Action> actions() { return stages.stream().flatMap(s -> s.actions().stream()).toList(); }

  /** Without the actions {@code keep} rejects; a chain or stage left empty is dropped. */
  public Schedule filter(Predicate<Action> keep) {
    List<Stage> out = new ArrayList<>();
    for (Stage s : stages) {
      List<List<Action>> chains = s.chains().stream().map(c -> c.stream().filter(keep).toList()).filter(c -> !c.isEmpty()).toList();
      if (!chains.isEmpty()) out.add(new Stage(s.what(), chains));
    }
    return new Schedule(List.copyOf(out));
  }

  /**
   * One stage whose chains are the actions on each container (or target), in their order: actions on different
   * containers need nothing of each other, actions on one container keep their sequence.
   */
  public static Schedule byTarget(String what, List<Action> actions) {
    Map<String, List<Action>> chains = new LinkedHashMap<>();
    for (Action a : actions) {
      String target = a.containerId() != null ? a.containerId() : a.target();
      chains.computeIfAbsent(target, k -> new ArrayList<>()).add(a);
    }
    if (chains.isEmpty()) return EMPTY;
    return new Schedule(List.of(new Stage(what, chains.values().stream().map(List::copyOf).toList())));
  }
}
