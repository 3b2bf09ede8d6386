package io.openclaw.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MissingInputsTest {
  private static final ResourceKey GATEWAY = new ResourceKey("GatewayDeployment", "ns", "gw");

  /** A clock the test moves. */
  private static final class Moving extends Clock {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { return this; }

    @Override
    public Instant instant() { return now; }
  }

  @Test
  void aMissingInputIsRetriedForTheGracePeriodThenStalledAndForgottenOnceFound() {
    Moving clock = new Moving();
    MissingInputs missing = new MissingInputs(clock, Duration.ofMinutes(2));
    Outcome first = missing.outcome(GATEWAY, StatusReason.SECRET_UNAVAILABLE, "Secret \"gw\" does not exist");
    assertThat(first.state()).isEqualTo(Outcome.State.RETRYING);
    assertThat(missing.retryAfter(GATEWAY)).isEqualTo(MissingInputs.RETRY);

    clock.now = clock.now.plusSeconds(100);
    assertThat(missing.outcome(GATEWAY, StatusReason.SECRET_UNAVAILABLE, "Secret \"gw\" does not exist").state()).isEqualTo(Outcome.State.RETRYING);
    assertThat(missing.retryAfter(GATEWAY)).as("looked at again when the grace period ends").isEqualTo(Duration.ofMillis(20_050));

    clock.now = clock.now.plusSeconds(20);
    Outcome stalled = missing.outcome(GATEWAY, StatusReason.SECRET_UNAVAILABLE, "Secret \"gw\" does not exist");
    assertThat(stalled.state()).isEqualTo(Outcome.State.STALLED);
    assertThat(stalled.reason()).isEqualTo("SecretUnavailable");
    assertThat(stalled.message()).contains("missing since 2026-01-02T03:04:05Z").contains("still retried");

    assertThat(missing.outcome(GATEWAY, StatusReason.IMAGE_UNAVAILABLE, "image x").state())
        .as("another input missing: its own grace period").isEqualTo(Outcome.State.RETRYING);
    missing.found(GATEWAY);
    clock.now = clock.now.plusSeconds(1);
    assertThat(missing.outcome(GATEWAY, StatusReason.SECRET_UNAVAILABLE, "gone again").state()).isEqualTo(Outcome.State.RETRYING);
  }
}
