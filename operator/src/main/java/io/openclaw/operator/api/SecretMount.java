package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A secret written into a container as a file (mode 0600, owned by the component's user), never into its env. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A secret written into the container as a file (mode 0600, owned by the container's user) before it"
    + " starts; set exactly one of secretRef and file.")
@ValidationRule(value = "has(self.secretRef) != has(self.file)", message = "set exactly one of secretRef and file")
public record SecretMount(
    @JsonPropertyDescription("Name of this secret, unique within the component: lower-case letters, digits, -, _ and .")
    @Required @Pattern("^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$") String name,
    @JsonPropertyDescription("Absolute path of the file inside the container; unique within the component, and not under the"
        + " gateway's stateDir (which is on the host's disk).")
    @Required @Pattern("^/.*") String mountPath,
    @JsonPropertyDescription("Kubernetes Secret key holding the value (Kubernetes mode).") SecretKeyRef secretRef,
    @JsonPropertyDescription("File holding the value on the operator's host (manifest-directory mode); relative to the"
        + " manifest's directory.")
    String file) {}
