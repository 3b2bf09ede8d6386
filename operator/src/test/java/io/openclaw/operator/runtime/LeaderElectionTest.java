package io.openclaw.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaderElectionTest {
  private static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  @Test
  void theLeaseIsNamedAfterTheHost() {
    assertThat(LeaderElection.leaseName("docker-1.example.org")).isEqualTo("openclaw-docker-operator-docker-1.example.org");
  }

  @Test
  void aHostNameThatIsNoValidObjectNameStillGivesAValidAndDistinctLeaseName() {
    String altered = LeaderElection.leaseName("Host_A");
    assertThat(altered).matches(DNS_SUBDOMAIN).startsWith("openclaw-docker-operator-host-a-");
    assertThat(altered).as("not the lease of the host really named host-a").isNotEqualTo(LeaderElection.leaseName("host-a"));
    String tooLong = LeaderElection.leaseName("h".repeat(300));
    assertThat(tooLong).matches(DNS_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
    assertThat(LeaderElection.leaseName("_weird_")).matches(DNS_SUBDOMAIN);
  }
}
