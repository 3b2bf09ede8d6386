package io.openclaw.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two minutes of {@link Soak}'s churn (hack/bench soak runs ten): the operator misses no breach and harms no conforming sandbox. */
class SoakIT {
  @Test
  void twoMinutesOfChurnMissNoBreachAndHarmNoConformingSandbox() throws Exception {
    Path jar = Path.of(System.getProperty("operator.jar", "operator/target/openclaw-docker-operator.jar"));
    Soak.Result r;
    try (Soak soak = new Soak().start(jar)) {
      r = soak.churn(Duration.ofMinutes(2), 0, 4, Duration.ofSeconds(15));
    }
    Soak.print(r); // the slopes are printed, not asserted: two minutes on a shared machine prove no trend
    assertThat(r.errors()).as("the churn's own requests").isEmpty();
    assertThat(r.breaching()).as("breaching sandboxes made, else nothing was tested").isGreaterThanOrEqualTo(10);
    assertThat(r.missed()).as("breaches the operator did not remove (isolation) or lower to the caps (limits)").isEmpty();
    assertThat(r.harmed()).as("conforming sandboxes the operator touched").isEmpty();
  }
}
