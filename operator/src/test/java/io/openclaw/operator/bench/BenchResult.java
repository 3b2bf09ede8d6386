package io.openclaw.operator.bench;

import java.util.Locale;

/**
 * The one line of a benchmark that {@code hack/bench} (no argument, or {@code all}) collects into its table:
 * {@code RESULT <row> <figure> <unit> <beside> <unit> <what the beside figure is...>}, the beside figure being the
 * floor or the peer measured in the same run ("-" when there is none). Everything else a benchmark prints is for people.
 */
final class BenchResult {
  private BenchResult() {}

  static void print(String row, double figure, String unit, double beside, String besideUnit, String besideWhat) {
    System.out.println(line(row, figure, unit, beside, besideUnit, besideWhat));
  }

  static String line(String row, double figure, String unit, double beside, String besideUnit, String besideWhat) {
    if (row.contains(" ") || unit.contains(" ") || besideUnit.contains(" ")) throw new IllegalArgumentException("row and units are single words");
    return String.format(Locale.ROOT, "RESULT %s %s %s %s %s %s", row, number(figure), unit, number(beside), besideUnit, besideWhat);
  }

  private static String number(double value) {
    if (Double.isNaN(value)) return "-";
    if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
  }
}
