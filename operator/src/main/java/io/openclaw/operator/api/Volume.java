package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A named Docker volume (survives recreation) or, when source is absolute, a host path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A named Docker volume, or a host path (bind mount) when source is absolute.")
public record Volume(
    @JsonPropertyDescription("Name of a Docker volume (kept across recreations), or an absolute host path for a bind mount.")
    @Required @Pattern("^(/.*|[a-zA-Z0-9][a-zA-Z0-9_.-]*)$") String source,
    @JsonPropertyDescription("Absolute path inside the container.")
    @Required @Pattern("^/.*") String target,
    @JsonPropertyDescription("Mount read-only; default false.") Boolean readOnly) {

  public boolean bindMount() { return source.startsWith("/"); }

  public boolean readOnlyMount() { return Boolean.TRUE.equals(readOnly); }
}
