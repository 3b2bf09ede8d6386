package io.openclaw.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.plan.Severity;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.HostFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host checks against fixture roots, laid out as the host's files are: a hardened host (SSH on 2222 for the deploy
 * user, UFW in with SSH and 443 from Cloudflare only, fail2ban running its sshd jail, the seed's daemon.json) and a bare
 * one; and the live answers (`ufw status verbose`, `fail2ban-client status`, the daemon's own report) where they exist.
 */
class HostHardeningTest {
  @TempDir Path hardened;
  @TempDir Path bare;

  /** What the deployment expects: the seed's values with SSH moved to 2222. */
  private static final GatewayDeploymentSpec.HostHardening SPEC = Fixtures.resource(GatewayDeployment.class, """
      apiVersion: hardening.openclaw.io/v1alpha1
      kind: GatewayDeployment
      metadata: {name: openclaw}
      spec:
        gateway: {image: openclaw:1}
        socketProxy: {image: proxy:1}
        egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
        hostHardening: {sshPort: 2222, deployUser: deploy, allowedInboundPorts: [2222, 443], cloudflarePorts: [443]}
      """).getSpec().hostHardening();
  private static final HostHardening.Expected EXPECTED = HostHardening.Expected.of(SPEC, null, null, "GatewayDeployment default/openclaw");

  private void hardenedHost() throws IOException { HostFixtures.hardened(hardened); }

  private void bareHost() throws IOException { HostFixtures.bare(bare); }

  private static List<String> ids(HostHardening.Result r) { return r.failures().stream().map(Finding::checkId).toList(); }

  @Test
  void aHardenedHostPassesEveryCheckFromItsFiles() throws IOException {
    hardenedHost();

    HostHardening.Result r = HostHardening.check(new HostFiles(hardened), null, EXPECTED, HostHardening.Live.NONE, HostHardening.DaemonFacts.UNKNOWN);

    assertThat(r.failures()).as("failures").isEmpty();
    assertThat(r.status()).isEqualTo("True");
    assertThat(r.reason()).isEqualTo("Hardened");
    assertThat(r.checks()).isEqualTo(16);
    assertThat(r.message()).isEqualTo("16 host checks pass");
  }

  @Test
  void aBareHostFailsEachCheckAndSaysWhy() throws IOException {
    bareHost();

    HostHardening.Result r = HostHardening.check(new HostFiles(bare), null, EXPECTED, HostHardening.Live.NONE, HostHardening.DaemonFacts.UNKNOWN);

    assertThat(ids(r)).containsExactlyInAnyOrder("host.sshd.permit_root_login", "host.sshd.password_authentication", "host.sshd.deploy_user",
        "host.sshd.port", "host.sshd.forwarding", "host.ufw.inactive", "host.ufw.default_policy", "host.ufw.inbound_ports",
        "host.ufw.cloudflare_only", "host.fail2ban.missing", "daemon.no_new_privileges_default", "daemon.icc", "daemon.live_restore",
        "daemon.userns_remap");
    assertThat(r.status()).isEqualTo("False");
    assertThat(r.reason()).isEqualTo("NotHardened");
    String inbound = detail(r, "host.ufw.inbound_ports");
    assertThat(inbound).startsWith("UFW lets in 22 from 0.0.0.0/0").contains("8080 from 0.0.0.0/0").contains("6000:6007 from 10.0.0.0/8")
        .doesNotContain(" 80 ").endsWith("only 2222, 443 are expected (the files under /etc/ufw (under " + bare + "))");
    assertThat(detail(r, "host.ufw.cloudflare_only")).startsWith("UFW lets in 443 from 0.0.0.0/0 (rule: allow tcp 443 0.0.0.0/0 any 0.0.0.0/0 in)")
        .doesNotContain("8080").doesNotContain("6000");
    assertThat(detail(r, "host.sshd.port")).startsWith("sshd listens on 22 (the default)").endsWith("expected 2222");
    assertThat(detail(r, "host.sshd.deploy_user")).startsWith("AllowUsers is not set");
    assertThat(detail(r, "daemon.icc")).contains("does not set \"icc\" (the default is true)");
    assertThat(detail(r, "daemon.userns_remap")).contains("does not set \"userns-remap\"");
    assertThat(r.message()).as("fail2ban missing: whether it runs and its jail are not asked").startsWith("14 of 14 host checks fail: daemon.icc: ");
  }

  @Test
  void aHostWithoutDaemonJsonSaysSoInEachDaemonCheck() throws IOException {
    bareHost();
    Files.delete(bare.resolve("etc/docker/daemon.json"));

    HostHardening.Result r = HostHardening.check(new HostFiles(bare), null, EXPECTED, HostHardening.Live.NONE, HostHardening.DaemonFacts.UNKNOWN);

    assertThat(detail(r, "daemon.icc")).startsWith("/etc/docker/daemon.json").contains(", which does not exist, does not set \"icc\" (the default is true)");
    assertThat(detail(r, "daemon.userns_remap")).contains(", which does not exist, does not set \"userns-remap\"");
  }

  @Test
  void theLiveFirewallAndFail2banWinOverTheirFiles() throws IOException {
    bareHost();
    // The files say UFW is off and fail2ban absent; the live commands (the operator on the host) say what runs.
    HostHardening.Live live = command -> switch (String.join(" ", command)) {
      case "ufw status verbose" -> Optional.of(new HostHardening.Live.Output(0, """
          Status: active
          Logging: on (low)
          Default: deny (incoming), allow (outgoing), disabled (routed)
          New profiles: skip

          To                         Action      From
          --                         ------      ----
          2222/tcp                   ALLOW IN    Anywhere
          443/tcp                    ALLOW IN    173.245.48.0/20            # cloudflare
          443/tcp                    ALLOW IN    Anywhere
          2222/tcp (v6)              ALLOW IN    Anywhere (v6)
          443/tcp (v6)               ALLOW IN    2400:cb00::/32
          25/tcp                     DENY OUT    Anywhere
          """));
      case "fail2ban-client status" -> Optional.of(new HostHardening.Live.Output(0, "Status\n|- Number of jail:\t1\n`- Jail list:\trecidive\n"));
      default -> Optional.empty();
    };

    HostHardening.Result r = HostHardening.check(new HostFiles(bare), null, EXPECTED, live, HostHardening.DaemonFacts.UNKNOWN);

    assertThat(ids(r)).doesNotContain("host.ufw.inactive", "host.ufw.default_policy", "host.ufw.inbound_ports", "host.fail2ban.missing",
        "host.fail2ban.not_running").contains("host.ufw.cloudflare_only", "host.fail2ban.sshd_jail");
    assertThat(detail(r, "host.ufw.cloudflare_only")).isEqualTo("UFW lets in 443 from 0.0.0.0/0 (rule: 443/tcp                    ALLOW IN"
        + "    Anywhere), beyond Cloudflare's 22 ranges (the list the operator ships)");
    assertThat(detail(r, "host.fail2ban.sshd_jail")).isEqualTo("`fail2ban-client status` lists the jails recidive, not sshd");
  }

  @Test
  void theDaemonsOwnReportWinsOverDaemonJson() throws IOException {
    hardenedHost();

    HostHardening.Result r = HostHardening.check(new HostFiles(hardened), null, EXPECTED, HostHardening.Live.NONE,
        new HostHardening.DaemonFacts(false, false, false));

    assertThat(ids(r)).containsExactly("daemon.icc", "daemon.live_restore", "daemon.userns_remap");
    assertThat(detail(r, "daemon.live_restore")).isEqualTo("the daemon reports live-restore off");
    assertThat(detail(r, "daemon.userns_remap")).isEqualTo("the daemon reports no user-namespace remapping (docker info)");
  }

  @Test
  void fail2banThatIsInstalledButNotRunningOrWithoutAnSshdJailIsNamed() throws IOException {
    hardenedHost();
    Files.delete(hardened.resolve("proc/812/comm"));
    Files.delete(hardened.resolve("proc/812/cmdline"));
    Files.writeString(hardened.resolve("etc/fail2ban/jail.d/zz-off.local"), "[sshd]\nenabled = false\n");

    HostHardening.Result r = HostHardening.check(new HostFiles(hardened), null, EXPECTED, HostHardening.Live.NONE, HostHardening.DaemonFacts.UNKNOWN);

    assertThat(ids(r)).containsExactly("host.fail2ban.not_running", "host.fail2ban.sshd_jail");
    assertThat(detail(r, "host.fail2ban.sshd_jail")).contains("enabled = false");
  }

  @Test
  void aHostOutOfSightIsNotCheckedRatherThanGuessed() {
    HostHardening.Result r = HostHardening.check(null, "the Docker host is remote", EXPECTED, HostHardening.Live.NONE, HostHardening.DaemonFacts.UNKNOWN);

    assertThat(r.broken()).isEmpty();
    assertThat(r.failures()).allMatch(f -> f.severity() == Severity.INFO);
    assertThat(r.status()).isEqualTo("Unknown");
    assertThat(r.reason()).isEqualTo("NotChecked");
  }

  @Test
  void aDeployUserIsMatchedAsSshdMatchesAllowUsersEntries() {
    assertThat(HostChecks.userMatches("deploy", "deploy")).isTrue();
    assertThat(HostChecks.userMatches("deploy@10.0.0.0/8", "deploy")).isTrue();
    assertThat(HostChecks.userMatches("dep*", "deploy")).isTrue();
    assertThat(HostChecks.userMatches("deployer", "deploy")).isFalse();
    assertThat(HostChecks.userMatches("d?ploy", "deploy")).isTrue();
  }

  @Test
  void theShippedRangesAreCloudflaresAndAFileReplacesThem() {
    HostHardening.Expected shipped = HostHardening.Expected.defaults();
    assertThat(shipped.cloudflareRanges()).hasSize(22).contains("173.245.48.0/20", "2400:cb00::/32").allMatch(c -> Cidr.parse(c).isPresent());
    HostHardening.Expected own = HostHardening.Expected.of(SPEC, "# mine\n198.51.100.0/24\n".getBytes(), "ranges.txt", "test");
    assertThat(own.cloudflareRanges()).containsExactly("198.51.100.0/24");
    assertThat(own.rangesSource()).isEqualTo("ranges.txt");
  }

  @Test
  void rangesContainWhatLiesWithinThemOnly() {
    Cidr cloudflare = Cidr.parse("104.16.0.0/13").orElseThrow();
    assertThat(cloudflare.contains(Cidr.parse("104.16.0.0/13").orElseThrow())).isTrue();
    assertThat(cloudflare.contains(Cidr.parse("104.20.1.0/24").orElseThrow())).isTrue();
    assertThat(cloudflare.contains(Cidr.parse("104.24.0.0/14").orElseThrow())).isFalse();
    assertThat(cloudflare.contains(Cidr.parse("0.0.0.0/0").orElseThrow())).isFalse();
    assertThat(cloudflare.contains(Cidr.parse("2400:cb00::/32").orElseThrow())).isFalse();
    assertThat(Cidr.parse("2400:cb00::/32").orElseThrow().contains(Cidr.parse("2400:cb00:12::1").orElseThrow())).isTrue();
    assertThat(Cidr.parse("cloudflare.com")).isEmpty();
  }

  private static String detail(HostHardening.Result r, String checkId) {
    return r.failures().stream().filter(f -> f.checkId().equals(checkId)).map(Finding::detail).findFirst()
        .orElseThrow(() -> new AssertionError("no " + checkId + " in " + ids(r)));
  }
}
