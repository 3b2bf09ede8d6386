package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A secret value from a Kubernetes Secret or a local file, delivered as a file and never through the environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A secret value from a Kubernetes Secret or a file; set exactly one of secretRef and file.")
@ValidationRule(value = "has(self.secretRef) != has(self.file)", message = "set exactly one of secretRef and file")
public record SecretSource(
    @JsonPropertyDescription("Kubernetes Secret key holding the value (Kubernetes mode).") SecretKeyRef secretRef,
    @JsonPropertyDescription("File holding the value on the operator's host (manifest-directory mode); relative to the"
        + " manifest's directory.") String file) {}
