package io.openclaw.operator.audit;

import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.plan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The host around Docker held to what a GatewayDeployment expects of it ({@code spec.hostHardening}): sshd's port and
 * AllowUsers, UFW's rules (only the allowed ports in, the Cloudflare ports only from Cloudflare's ranges), fail2ban
 * running with an sshd jail, and the daemon's defaults. Read from the live system where it answers (the {@code ufw} and
 * {@code fail2ban-client} commands when the operator runs on the host itself, the Docker API for the daemon), from the
 * host's files otherwise. {@code audit --deep} reports every check; {@code run} repeats them and reports the
 * HostHardened condition.
 */
public final class HostHardening {
  /** The condition {@code run} writes on every GatewayDeployment that declares spec.hostHardening. */
  public static final String CONDITION = "HostHardened";
  static final String SHIPPED_RANGES = "cloudflare-ranges.txt";

  private HostHardening() {}

  /**
   * What the host should look like. {@code cloudflareRanges} are CIDR texts; {@code source} says where the values came
   * from (a GatewayDeployment, or the defaults).
   */
  public record Expected(int sshPort, String deployUser, List<Integer> allowedInboundPorts, List<Integer> cloudflarePorts,
      List<String> cloudflareRanges, String rangesSource, GatewayDeploymentSpec.DaemonSettings daemon, String source) {

    /** The defaults: SSH on 22, SSH and 443 in, 443 from Cloudflare only, the seed's daemon.json, the shipped ranges. */
    public static Expected defaults() {
      return new Expected(22, null, List.of(22, 443), List.of(443), shippedRanges(), "the list the operator ships",
          new GatewayDeploymentSpec.DaemonSettings(true, true, true, true), "the defaults (no GatewayDeployment declares spec.hostHardening)");
    }

    /**
     * From a spec; {@code rangesFile} is the content of its cloudflareRangesFile when it names one (read by the caller,
     * relative to the manifest), else null for the shipped list.
     */
    public static Expected of(GatewayDeploymentSpec.HostHardening spec, byte[] rangesFile, String rangesFileName, String source) {
      var daemon = spec.daemon() == null ? new GatewayDeploymentSpec.DaemonSettings(true, true, true, true) : spec.daemon();
      List<String> ranges = rangesFile == null ? shippedRanges() : ranges(new String(rangesFile, StandardCharsets.UTF_8));
      return new Expected(spec.sshPort() == null ? 22 : spec.sshPort(), spec.deployUser(),
          spec.allowedInboundPorts() == null ? List.of(22, 443) : spec.allowedInboundPorts(),
          spec.cloudflarePorts() == null ? List.of(443) : spec.cloudflarePorts(), ranges,
          rangesFile == null ? "the list the operator ships" : rangesFileName, daemon, source);
    }
  }

  /**
   * What a GatewayDeployment's spec.hostHardening expects, its ranges file read relative to its manifest; a ranges
   * file that cannot be read leaves the shipped list, and the source says so.
   */
  public static Expected expected(io.openclaw.operator.api.validation.Manifest gateway, io.openclaw.operator.source.SecretReader files) {
    var spec = gateway.as(io.openclaw.operator.api.GatewayDeployment.class).getSpec().hostHardening();
    String source = "GatewayDeployment " + gateway.key();
    if (spec.cloudflareRangesFile() == null) return Expected.of(spec, null, null, source);
    try {
      return Expected.of(spec, files.file(gateway, spec.cloudflareRangesFile()), spec.cloudflareRangesFile(), source);
    } catch (io.openclaw.operator.source.SecretReader.Unavailable e) {
      Expected shipped = Expected.of(spec, null, null, source);
      return new Expected(shipped.sshPort(), shipped.deployUser(), shipped.allowedInboundPorts(), shipped.cloudflarePorts(),
          shipped.cloudflareRanges(), "the shipped list (" + e.getMessage() + ")", shipped.daemon(), source);
    }
  }

  /** For the audit: the first declared GatewayDeployment (by namespace and name) with spec.hostHardening, else the defaults. */
  static Expected expected(io.openclaw.operator.source.DesiredState desired) {
    if (!desired.given()) return Expected.defaults();
    return desired.gateways().stream().filter(g -> g.getSpec().hostHardening() != null)
        .map(io.openclaw.operator.api.ResourceKey::of).sorted(java.util.Comparator.comparing(Object::toString))
        .flatMap(k -> desired.store().entry(k).stream()).filter(e -> e.inForce() != null).findFirst()
        .map(e -> expected(e.inForce(), desired.secrets())).orElse(Expected.defaults());
  }

  /** The CIDR lines of a ranges file (# comments and blank lines skipped). */
  static List<String> ranges(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String range = line.replaceAll("#.*", "").strip();
      if (!range.isEmpty()) out.add(range);
    }
    return out;
  }

  static List<String> shippedRanges() {
    try (InputStream in = HostHardening.class.getResourceAsStream(SHIPPED_RANGES)) {
      if (in == null) throw new IllegalStateException(SHIPPED_RANGES + " is missing from the jar");
      return ranges(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Commands on the live host; {@link #NONE} where the operator does not run on the host itself. */
  public interface Live {
    /** The command's exit code and output, or empty when it cannot be run at all (not installed, not permitted). */
    Optional<Output> run(List<String> command);

    record Output(int exitCode, String text) {}

    Live NONE = command -> Optional.empty();

    /** The host's own commands, each given 10 s; for an operator that runs on the host (its root is "/"). */
    Live HOST = command -> {
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readNBytes(1 << 20);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return Optional.empty();
        }
        return Optional.of(new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    };
  }

  /**
   * The daemon's settings as the daemon itself reports them: live-restore and user-namespace remapping from
   * {@code /info}, icc from the default bridge's options. Null where the answer does not say.
   */
  public record DaemonFacts(Boolean liveRestore, Boolean usernsRemap, Boolean iccDisabled) {
    public static final DaemonFacts UNKNOWN = new DaemonFacts(null, null, null);

    public static DaemonFacts read(DockerApi docker) {
      Boolean liveRestore = null;
      Boolean userns = null;
      Boolean icc = null;
      try {
        JsonNode info = docker.info();
        if (info.path("LiveRestoreEnabled").isBoolean()) liveRestore = info.path("LiveRestoreEnabled").asBoolean();
        if (info.path("SecurityOptions").isArray()) {
          boolean found = false;
          for (JsonNode o : info.path("SecurityOptions")) found |= o.asString("").contains("name=userns");
          userns = found;
        }
      } catch (RuntimeException e) {
        // the daemon did not answer: the files decide
      }
      try {
        var bridge = docker.inspectNetwork("bridge");
        if (bridge.isPresent()) {
          String value = bridge.get().options().get("com.docker.network.bridge.enable_icc");
          if (value != null) icc = value.equals("false");
        }
      } catch (RuntimeException e) {
        // no default bridge (dockerd --bridge=none): the files decide
      }
      return new DaemonFacts(liveRestore, userns, icc);
    }
  }

  /** The outcome of one round of checks: its failures, and how many checks were made. */
  public record Result(List<Finding> failures, int checks) {
    /** A check that could not be made (a file out of sight, a command that did not answer). */
    public List<Finding> notChecked() {
      return failures.stream().filter(f -> f.severity() == Severity.INFO).toList();
    }

    public List<Finding> broken() {
      return failures.stream().filter(f -> f.severity() != Severity.INFO).toList();
    }

    public boolean hardened() { return failures.isEmpty(); }

    /** True, False, or Unknown when nothing is broken but something could not be checked. */
    public String status() { return !broken().isEmpty() ? "False" : notChecked().isEmpty() ? "True" : "Unknown"; }

    public String reason() { return !broken().isEmpty() ? "NotHardened" : notChecked().isEmpty() ? "Hardened" : "NotChecked"; }

    public String message() {
      if (failures.isEmpty()) return checks + " host checks pass";
      List<Finding> shown = broken().isEmpty() ? notChecked() : broken();
      List<String> parts = shown.stream().map(f -> f.checkId() + ": " + f.detail()).toList();
      String text = String.join("; ", parts);
      if (text.length() > 900) text = text.substring(0, 900) + "...";
      return shown.size() + " of " + checks + " host checks " + (broken().isEmpty() ? "could not be made" : "fail") + ": " + text;
    }
  }

  /**
   * Every host check, with the daemon's no-new-privileges default as daemon.json or dockerd's flags set it.
   * {@code files} null: the host's files are out of sight, {@code unavailable} says why.
   */
  public static Result check(HostFiles files, String unavailable, Expected expected, Live live, DaemonFacts facts) {
    Verdicts v = new Verdicts();
    HostChecks.judge(files, unavailable, expected, live, facts, true, v);
    List<Finding> failures = v.findings();
    int checks = (int) v.all().stream().map(x -> x.checkId()).distinct().count();
    return new Result(failures, checks);
  }
}
