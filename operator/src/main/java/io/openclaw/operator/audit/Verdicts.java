package io.openclaw.operator.audit;

import io.openclaw.operator.plan.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the audit decided, keyed by (checkId, object): a failure is a finding, a pass keeps the plain fact that
 * made it pass, so {@code explain} can show both. A rule reporting one object twice is merged into one finding.
 */
public final class Verdicts {
  /** One rule applied to one object: passed with a fact, or failed with a finding. */
  public record Verdict(String object, String checkId, String title, Finding failure, String fact) {
    public boolean passed() { return failure == null; }
  }

  private final Map<String, Verdict> verdicts = new LinkedHashMap<>();
  private final List<Finding> relayed = new ArrayList<>();

  public void fail(Finding f) {
    String key = f.checkId() + "|" + f.object();
    Verdict before = verdicts.get(key);
    if (before != null && before.failure() != null) {
      Finding old = before.failure();
      Severity worse = old.severity().compareTo(f.severity()) <= 0 ? old.severity() : f.severity();
      f = new Finding(old.checkId(), worse, old.title(), old.detail() + "; " + f.detail(), old.remediation(), old.object(), old.source());
    }
    verdicts.put(key, new Verdict(f.object(), f.checkId(), f.title(), f, null));
  }

  public void pass(String object, String checkId, String title, String fact) {
    verdicts.putIfAbsent(checkId + "|" + object, new Verdict(object, checkId, title, null, fact));
  }

  /** A finding of another tool (OpenClaw's own audit), kept as it came. */
  public void relay(Finding f) { relayed.add(f); }

  /** Every failure, most severe first, then by checkId and object. */
  public List<Finding> findings() {
    List<Finding> out = new ArrayList<>();
    verdicts.values().stream().filter(v -> !v.passed()).forEach(v -> out.add(v.failure()));
    out.addAll(relayed);
    out.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::source, Comparator.reverseOrder())
        .thenComparing(Finding::checkId).thenComparing(Finding::object));
    return out;
  }

  /** Every verdict, passed or failed, in the order the rules were applied (relayed findings aside). */
  public List<Verdict> all() { return List.copyOf(verdicts.values()); }

  /** What was decided about one object, in the order the rules were applied. */
  public List<Verdict> of(String object) {
    return verdicts.values().stream().filter(v -> v.object().equals(object)).toList();
  }
}
