package io.openclaw.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.openclaw.operator.docker.DockerException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "openclaw-docker-operator", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Main.Version.class,
    description = "Keeps a hardened OpenClaw deployment on a Docker host equal to its declared resources.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:fine", "1:found something (validate problems, a critical audit or review finding)",
        "2:changes pending (plan --detailed-exitcode)", "64:usage error", "69:the Docker daemon or the cluster cannot be reached", "70:internal error"},
    subcommands = {RunCommand.class, AdmissionCommand.class, PlanCommand.class, ValidateCommand.class, AuditCommand.class, ExplainCommand.class, ReviewCommand.class})
public final class Main {
  @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT, description = "error, warn, info (default), debug or trace.")
  void logLevel(String level) { Logging.level(level); }

  @Option(names = "--log-format", paramLabel = "FORMAT", scope = ScopeType.INHERIT, description = "text (default) or json (one object per line).")
  void logFormat(String format) { Logging.format(format); }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for callers that route its output (tests capture it with setOut/setErr). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine at = e.getCommandLine();
      at.getErr().println(e.getMessage() + " (see " + at.getCommandSpec().qualifiedName() + " --help)");
      return Exit.USAGE;
    });
    cli.setExecutionExceptionHandler((e, at, parsed) -> {
      int code = exitCode(e);
      at.getErr().println(message(e, code));
      if (code == Exit.INTERNAL) LoggerFactory.getLogger(Main.class).debug("internal error", e);
      return code;
    });
    return cli;
  }

  /** No stack trace for anything a user can fix: one line saying what, and what to do. */
  static int exitCode(Exception e) {
    if (e instanceof IllegalArgumentException) return Exit.USAGE;
    if (e instanceof Exit.Unavailable || e instanceof DockerException.Unavailable) return Exit.UNAVAILABLE;
    if (e instanceof KubernetesClientException k && k.getCode() == 0) return Exit.UNAVAILABLE;
    return Exit.INTERNAL;
  }

  private static String message(Exception e, int code) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof DockerException.Unavailable) {
      return text + "; check DOCKER_HOST (" + io.openclaw.operator.docker.DockerEndpoint.fromEnvironment().host() + ") and that dockerd runs";
    }
    if (code == Exit.UNAVAILABLE && e instanceof KubernetesClientException) {
      return "cannot reach the Kubernetes API server: " + text + "; check the kubeconfig (KUBECONFIG, ~/.kube/config) or run in-cluster";
    }
    if (code == Exit.INTERNAL) return "internal error: " + text + " (run again with --log-level debug for the stack trace)";
    return text;
  }

  /** The version the build wrote into the jar (openclaw-docker-operator.properties). */
  public static String version() {
    try (InputStream in = Main.class.getResourceAsStream("/openclaw-docker-operator.properties")) {
      Properties p = new Properties();
      if (in != null) p.load(in);
      String v = p.getProperty("version", "");
      return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"openclaw-docker-operator " + version() + " (Java " + Runtime.version() + ")"};
    }
  }
}
