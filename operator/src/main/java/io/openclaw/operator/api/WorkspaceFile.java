package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One file of the agent's workspace (SOUL.md, AGENTS.md ...), which OpenClaw injects into the agent's context; the
 * operator writes it and writes it again whenever it differs, so an agent talked into rewriting its own rules gets
 * them back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A file of the agent's workspace, like SOUL.md or AGENTS.md, delivered into the gateway's agent workspace and"
    + " delivered again whenever it differs; set exactly one of secretRef, configMapRef and file.")
@ValidationRule(value = "(has(self.secretRef) ? 1 : 0) + (has(self.configMapRef) ? 1 : 0) + (has(self.file) ? 1 : 0) == 1",
    message = WorkspaceFile.ONE_SOURCE)
public record WorkspaceFile(
    @JsonPropertyDescription("File name in the agent workspace, like SOUL.md or AGENTS.md: no directory, unique within the gateway.")
    @Required @Pattern(NAME) String name,
    @JsonPropertyDescription("Kubernetes Secret key holding the content (Kubernetes mode).") SecretKeyRef secretRef,
    @JsonPropertyDescription("Kubernetes ConfigMap key holding the content (Kubernetes mode).") ConfigMapKeyRef configMapRef,
    @JsonPropertyDescription("File holding the content on the operator's host (manifest-directory mode); relative to the manifest's"
        + " directory.") String file) {

  public static final String NAME = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
  public static final String ONE_SOURCE = "set exactly one of secretRef, configMapRef and file";

  public int sources() { return (secretRef == null ? 0 : 1) + (configMapRef == null ? 0 : 1) + (file == null ? 0 : 1); }
}
