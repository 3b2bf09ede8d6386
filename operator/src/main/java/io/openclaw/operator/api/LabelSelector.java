package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Equality-based selector, as in Kubernetes' matchLabels. An empty selector matches everything. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonClassDescription("Selects by labels, as Kubernetes' matchLabels does.")
public record LabelSelector(
    @JsonPropertyDescription("Labels that must all be present with exactly these values; absent or empty matches everything.")
    Map<String, String> matchLabels) {
  public boolean matches(Map<String, String> labels) {
    if (matchLabels == null || matchLabels.isEmpty()) return true;
    if (labels == null) return false;
    return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
