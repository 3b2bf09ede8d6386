package io.openclaw.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "openclaw-docker-operator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Keeps a hardened OpenClaw deployment on a Docker host equal to its declared resources.",
    subcommands = {RunCommand.class, ValidateCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"openclaw-docker-operator " + (v == null ? "dev" : v)};
    }
  }
}
