package io.openclaw.operator.api;

import java.math.BigDecimal;
import java.util.regex.Matcher;

/** Parses the quantities the API accepts: Kubernetes memory quantities and Docker-style CPU counts. */
public final class Quantities {
  /** Plain bytes or a Kubernetes binary/decimal suffix. */
  public static final String MEMORY_PATTERN = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$";
  /** "1.0", "2", "0.5" or millicores "500m". */
  public static final String CPU_PATTERN = "^([0-9]+(\\.[0-9]{1,9})?|[0-9]+m)$";

  private static final java.util.regex.Pattern MEMORY = java.util.regex.Pattern.compile(MEMORY_PATTERN);
  private static final java.util.regex.Pattern CPU = java.util.regex.Pattern.compile(CPU_PATTERN);

  private Quantities() {}

  public static boolean isMemory(String value) { return value != null && MEMORY.matcher(value).matches(); }

  public static boolean isCpu(String value) { return value != null && CPU.matcher(value).matches(); }

  public static long parseMemory(String value) {
    Matcher m = MEMORY.matcher(value == null ? "" : value);
    if (!m.matches()) throw new IllegalArgumentException("not a memory quantity: " + value);
    String suffix = m.group(2) == null ? "" : m.group(2);
    BigDecimal number = new BigDecimal(value.substring(0, value.length() - suffix.length()));
    long unit = switch (suffix) {
      case "Ki" -> 1L << 10; case "Mi" -> 1L << 20; case "Gi" -> 1L << 30; case "Ti" -> 1L << 40;
      case "k" -> 1_000L; case "M" -> 1_000_000L; case "G" -> 1_000_000_000L; case "T" -> 1_000_000_000_000L;
      default -> 1L;
    };
    return number.multiply(BigDecimal.valueOf(unit)).longValue();
  }

  public static long parseNanoCpus(String value) {
    if (!isCpu(value)) throw new IllegalArgumentException("not a CPU quantity: " + value);
    if (value.endsWith("m")) return Long.parseLong(value.substring(0, value.length() - 1)) * 1_000_000L;
    return new BigDecimal(value).movePointRight(9).longValue();
  }

  /** Docker-style rendering (what `docker update --memory` accepts and OpenClaw's config expects), e.g. 1g, 512m. */
  public static String dockerMemory(long bytes) {
    if (bytes % (1L << 30) == 0) return (bytes >> 30) + "g";
    if (bytes % (1L << 20) == 0) return (bytes >> 20) + "m";
    if (bytes % (1L << 10) == 0) return (bytes >> 10) + "k";
    return Long.toString(bytes);
  }

  public static String cpus(long nanoCpus) {
    return BigDecimal.valueOf(nanoCpus).movePointLeft(9).stripTrailingZeros().toPlainString();
  }
}
