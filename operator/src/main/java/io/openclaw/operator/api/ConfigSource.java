package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the user's base openclaw.json comes from; it holds channel tokens, so it is handled as a secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Where the base openclaw.json comes from; set exactly one of secretRef and file.")
@ValidationRule(value = "has(self.secretRef) != has(self.file)", message = "set exactly one of secretRef and file")
public record ConfigSource(
    @JsonPropertyDescription("Kubernetes Secret key holding the base openclaw.json.") SecretKeyRef secretRef,
    @JsonPropertyDescription("Base openclaw.json on the operator's host (manifest-directory mode); relative to the manifest's"
        + " directory.") String file) {}
