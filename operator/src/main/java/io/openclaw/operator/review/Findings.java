package io.openclaw.operator.review;

import io.openclaw.operator.audit.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Findings keyed by (checkId, object) as the audit keys them: a second hit of one check on one line adds to that
 * finding's detail instead of a second finding.
 */
final class Findings {
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private record Entry(ReviewCheck check, String object, Set<String> details) {}

  void add(ReviewCheck check, String object, String detail) {
    entries.computeIfAbsent(check.id + "|" + object, k -> new Entry(check, object, new LinkedHashSet<>())).details().add(detail);
  }

  void add(ReviewCheck check, Location at, String detail) {
    add(check, at.toString(), detail);
  }

  /** Most severe first, then by file and line, then by check. */
  List<Finding> sorted() {
    List<Entry> list = new ArrayList<>(entries.values());
    list.sort(Comparator.comparing((Entry e) -> e.check().severity).thenComparing(e -> Location.sortKey(e.object()))
        .thenComparing(e -> e.check().id));
    List<Finding> out = new ArrayList<>();
    for (Entry e : list) out.add(e.check().finding(e.object(), String.join("; ", e.details())));
    return out;
  }
}
