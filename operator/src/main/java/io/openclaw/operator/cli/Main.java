package io.openclaw.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "openclaw-docker-operator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Keeps a hardened OpenClaw deployment on a Docker host equal to its declared resources.",
    subcommands = {RunCommand.class, PlanCommand.class, ValidateCommand.class, AuditCommand.class, ExplainCommand.class,
        ReviewCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for callers that route its output (tests capture it with setOut/setErr). */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"openclaw-docker-operator " + (v == null ? "dev" : v)};
    }
  }
}
