package io.openclaw.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchFiguresTest {
  @Test
  void slopeIsTheLeastSquaresLineThroughNoisySamples() {
    // y = 3x + 1 with noise that sums to zero against x: the fit recovers 3 exactly.
    List<Double> x = List.of(1.0, 2.0, 3.0, 4.0, 5.0);
    List<Double> y = List.of(4.0 + 1, 7.0 - 1, 10.0, 13.0 - 1, 16.0 + 1);
    assertThat(Soak.slope(x, y)).isCloseTo(3.0, within(1e-9));
    assertThat(Soak.slope(List.of(1.0), List.of(2.0))).isNaN();
  }

  @Test
  void slopesLeaveOutTheFirstMinuteOfWarmUp() {
    List<Soak.Sample> samples = List.of(new Soak.Sample(0.0, 50, 10, 10, 5), new Soak.Sample(0.5, 80, 30, 30, 20),
        new Soak.Sample(1.0, 20, 40, 40, 25), new Soak.Sample(2.0, 20, 40, 40, 25), new Soak.Sample(3.0, 20, 40, 40, 25));
    assertThat(Soak.slopes(samples)).containsExactly(0.0, 0.0, 0.0, 0.0);
  }

  @Test
  void resultLineIsWhatTheTableReads() {
    assertThat(BenchResult.line("admission.operator.run-p50", 478.123, "ms", 360.8, "ms", "no plugin; operator"))
        .isEqualTo("RESULT admission.operator.run-p50 478 ms 361 ms no plugin; operator");
    assertThat(BenchResult.line("steady.cpu", 0.7712, "cpu-s/min", Double.NaN, "cpu-s/min", "none"))
        .isEqualTo("RESULT steady.cpu 0.77 cpu-s/min - cpu-s/min none");
    assertThatThrownBy(() -> BenchResult.line("two words", 1, "ms", 1, "ms", "")).isInstanceOf(IllegalArgumentException.class);
  }
}
