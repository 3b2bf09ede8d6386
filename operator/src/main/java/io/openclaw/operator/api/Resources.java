package io.openclaw.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Memory, CPU and PIDs limits of one container; the same shape for infrastructure and sandboxes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resources(
    @JsonPropertyDescription("Memory limit as a quantity, e.g. 1Gi or 512Mi.")
    @Pattern(Quantities.MEMORY_PATTERN) @Default("1Gi") String memory,
    @JsonPropertyDescription("Memory plus swap; defaults to memory (no swap).")
    @Pattern(Quantities.MEMORY_PATTERN) String memorySwap,
    @JsonPropertyDescription("CPU limit as a decimal number of CPUs (\"1.0\") or millicores (\"500m\").")
    @Pattern(Quantities.CPU_PATTERN) @Default("1.0") String cpus,
    @JsonPropertyDescription("Maximum number of processes.")
    @Min(1) @Default("512") Long pidsLimit) {

  public long memoryBytes() { return Quantities.parseMemory(memory); }

  /** Swap is counted: without an explicit memorySwap the container gets none. */
  public long memorySwapBytes() { return memorySwap == null ? memoryBytes() : Quantities.parseMemory(memorySwap); }

  public long nanoCpus() { return Quantities.parseNanoCpus(cpus); }
}
