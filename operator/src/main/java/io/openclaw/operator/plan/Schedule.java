package io.openclaw.operator.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * When a plan's actions may run: stages one after another; within a stage its chains at once, except that a chain
 * waits for the chains of its stage it needs (a container for the networks it is created on); within a chain its
 * actions in order, since each needs the one before (a host directory before the container that binds it, a kill
 * before the disconnect of the same container). Decided by the planner, which knows what needs what; the executor
 * only follows it.
 */
public record Schedule(List<Stage> stages) {
  /**
   * {@code what}: why the stage is a stage of its own (for logs and tests). {@code after}: for each chain, the chains
   * of this stage it waits for, by index; each comes before it, so the stage's order is one a one-at-a-time run may take.
   */
  public record Stage(String what, List<List<Action>> chains, List<Set<Integer>> after) {
    public Stage {
      if (after.size() != chains.size()) throw new IllegalArgumentException("one set of prerequisites per chain");
      for (int i = 0; i < after.size(); i++) {
        int chain = i;
        if (after.get(i).stream().anyMatch(j -> j < 0 || j >= chain)) throw new IllegalArgumentException("chain " + i + " waits for a chain that is not before it");
      }
    }

    /** Chains that need nothing of each other: all at once. */
    public Stage(String what, List<List<Action>> chains) { this(what, chains, chains.stream().map(c -> Set.<Integer>of()).toList()); }

    public List<Action> actions() { return chains.stream().flatMap(List::stream).toList(); }
  }

  public static final Schedule EMPTY = new Schedule(List.of());

  /** Every action, in the order a one-at-a-time run would take them. */
  public List<Action> actions() { return stages.stream().flatMap(s -> s.actions().stream()).toList(); }

  /** Without the actions {@code keep} rejects; a chain or stage left empty is dropped. */
  public Schedule filter(Predicate<Action> keep) {
    List<Stage> out = new ArrayList<>();
    for (Stage s : stages) {
      List<List<Action>> chains = new ArrayList<>();
      List<Set<Integer>> after = new ArrayList<>();
      Map<Integer, Integer> kept = new HashMap<>(); // old index -> new
      for (int i = 0; i < s.chains().size(); i++) {
        List<Action> chain = s.chains().get(i).stream().filter(keep).toList();
        if (chain.isEmpty()) continue;
        kept.put(i, chains.size());
        chains.add(chain);
        after.add(s.after().get(i).stream().filter(kept::containsKey).map(kept::get).collect(Collectors.toUnmodifiableSet()));
      }
      if (!chains.isEmpty()) out.add(new Stage(s.what(), List.copyOf(chains), List.copyOf(after)));
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
