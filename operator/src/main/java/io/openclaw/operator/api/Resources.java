package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Memory, CPU and PIDs limits of one container; the same shape for infrastructure and sandboxes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Memory, CPU and PIDs limits of a container.")
public record Resources(
    @JsonPropertyDescription("Memory limit as a quantity, like 1Gi or 512Mi; at least 6Mi, default 1Gi.")
    @Pattern(Quantities.MEMORY_PATTERN) @Default("1Gi") String memory,
    @JsonPropertyDescription("Memory plus swap as a quantity, at least memory; default: memory (no swap).")
    @Pattern(Quantities.MEMORY_PATTERN) String memorySwap,
    @JsonPropertyDescription("CPU limit as a number of CPUs (\"1.0\", \"0.5\") or millicores (\"500m\"); more than 0, default"
        + " \"1.0\".")
    @Pattern(Quantities.CPU_PATTERN) @Default("1.0") String cpus,
    @JsonPropertyDescription("Maximum number of processes (PIDs limit); at least 1, default 512.")
    @Min(1) @Default("512") Long pidsLimit) {

  public long memoryBytes() { return Quantities.parseMemory(memory); }

  /** Swap is counted: without an explicit memorySwap the container gets none. */
  public long memorySwapBytes() { return memorySwap == null ? memoryBytes() : Quantities.parseMemory(memorySwap); }

  public long nanoCpus() { return Quantities.parseNanoCpus(cpus); }
}
