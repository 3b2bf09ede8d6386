package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A secret written into a container as a file (mode 0600, owned by the component's user), never into its env. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.secretRef) != has(self.file)", message = "set exactly one of secretRef and file")
public record SecretMount(
    @Required @Pattern("^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$") String name,
    @JsonPropertyDescription("Absolute path of the file inside the container.")
    @Required @Pattern("^/.*") String mountPath,
    @JsonPropertyDescription("Kubernetes Secret key (Kubernetes mode).") SecretKeyRef secretRef,
    @JsonPropertyDescription("File on the operator's host (manifest-directory mode); relative paths are relative to the manifest.")
    String file) {}
