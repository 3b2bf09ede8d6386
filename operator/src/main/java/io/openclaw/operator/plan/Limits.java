package io.openclaw.operator.plan;

import io.openclaw.operator.api.Quantities;
import io.openclaw.operator.api.Resources;

/** Memory (with swap counted), CPU and PIDs limits as Docker takes them: bytes, nano-CPUs, a count. */
public record Limits(long memory, long memorySwap, long nanoCpus, long pidsLimit) {
  public static Limits of(Resources r) {
    return new Limits(r.memoryBytes(), r.memorySwapBytes(), r.nanoCpus(), r.pidsLimit());
  }

  @Override
  public String toString() {
    return "memory " + Quantities.dockerMemory(memory) + " (swap " + Quantities.dockerMemory(memorySwap) + "), cpus "
        + Quantities.cpus(nanoCpus) + ", pids " + pidsLimit;
  }
}
