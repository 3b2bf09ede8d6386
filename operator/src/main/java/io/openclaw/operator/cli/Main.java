package io.openclaw.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.source.ManifestLoader;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "openclaw-docker-operator", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Main.Version.class,
    description = "Keeps a hardened OpenClaw deployment on a Docker host equal to its declared resources.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:fine", "1:found something (validate problems, a critical audit or review finding)",
        "2:changes pending (plan --detailed-exitcode)", "64:usage error", "69:the Docker daemon or the cluster cannot be reached", "70:internal error"})
public final class Main {
  /** The subcommands, in the order --help lists them; added by {@link #commandLine(String...)}, not by the annotation. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("run", RunCommand::new);
    all.put("admission", AdmissionCommand::new);
    all.put("plan", PlanCommand::new);
    all.put("validate", ValidateCommand::new);
    all.put("audit", AuditCommand::new);
    all.put("explain", ExplainCommand::new);
    all.put("review", ReviewCommand::new);
    return all;
  }

  @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT, description = "error, warn, info (default), debug or trace.")
  void logLevel(String level) { Logging.level(level); }

  @Option(names = "--log-format", paramLabel = "FORMAT", scope = ScopeType.INHERIT, description = "text (default) or json (one object per line).")
  void logFormat(String format) { Logging.format(format); }

  public static void main(String[] args) {
    boolean plainLogging = Logging.plainForOneShotCommands(args);
    boolean manifests = readsManifests(args);
    if (manifests) prepareManifestReading();
    if (!plainLogging) Logging.setUpMeanwhile();
    if (manifests || !plainLogging) {
      CommandLine cli = commandLine(args);
      Logging.finishSetUp(); // after picocli's set-up, which logs nothing; by now the other thread has usually set it up
      System.exit(cli.execute(args));
    }
    System.exit(execute(args));
  }

  /**
   * Whether the command these arguments name reads manifests: validate and plan always, run from a directory (its cold
   * start waits for them), audit and explain when given a source (--manifests or --kubernetes; a bare directory is not
   * looked for). Not for help or the version.
   */
  static boolean readsManifests(String... args) {
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) return false;
    }
    // Only a head start is decided here, so the first known command name among the arguments will do (no option
    // value is one); picocli's model is not built yet.
    String command = java.util.Arrays.stream(args).filter(SUBCOMMANDS::containsKey).findFirst().orElse("");
    if (command.equals("validate") || command.equals("plan")) return true;
    if (command.equals("run")) return java.util.Arrays.stream(args).noneMatch(a -> a.equals("--kubernetes"));
    if (!command.equals("audit") && !command.equals("explain")) return false;
    return java.util.Arrays.stream(args).anyMatch(a -> a.equals("--manifests") || a.startsWith("--manifests=") || a.equals("--kubernetes"));
  }

  /**
   * The first read of manifests builds the YAML reader, the schemas and Jackson's deserializers of the three kinds,
   * most of a one-shot command's own work; begun here on a thread of its own, it is done while picocli builds the
   * command line and parses the arguments (see {@link ManifestLoader#prepare}). A daemon thread: it never holds the
   * process up, and a failure here only means the read builds them itself.
   */
  private static void prepareManifestReading() {
    Thread thread = new Thread(() -> {
      try {
        Logging.bind();
        ManifestLoader.prepare();
      } catch (Throwable e) {
        // Never said on stderr: the command's own read meets the same failure and reports it as it always did.
        LoggerFactory.getLogger(Main.class).debug("preparing the manifest reader failed", e);
      }
    }, "manifests-prepare");
    thread.setDaemon(true);
    thread.start();
  }

  public static int execute(String... args) {
    return commandLine(args).execute(args);
  }

  /** The configured command line with every subcommand, for callers that route its output (tests capture it with setOut/setErr). */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new Main()), SUBCOMMANDS.keySet());
  }

  /**
   * The command line these arguments need: only the subcommand they name, or none for a bare --version. picocli reflects
   * over each command's annotations, options and mixins as it is added, which was a fifth of a one-shot command's time
   * with all seven. Anything else (--help, no subcommand, a misspelt one, an @file) gets them all, so usage messages
   * and suggestions stay as they are.
   */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) return configure(cli, Set.of());
    return configure(cli, namedSubcommand(cli.getCommandSpec(), args).map(Set::of).orElse(SUBCOMMANDS.keySet()));
  }

  /**
   * The subcommand the arguments name: the first one that is not an option or an option's value, if it is known. Which
   * options take a value comes from picocli's model of {@code top}, the top-level command (its subcommands need not be
   * built for it), so a new option needs no list kept beside it.
   */
  static Optional<String> namedSubcommand(CommandSpec top, String... args) {
    Map<String, OptionSpec> options = top.optionsMap();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      OptionSpec option = options.get(arg);
      if (option != null && option.arity().max() > 0) {
        i++;
      } else if (arg.equals("--") || arg.startsWith("@")) {
        return Optional.empty();
      } else if (!arg.startsWith("-")) {
        return SUBCOMMANDS.containsKey(arg) ? Optional.of(arg) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static CommandLine configure(CommandLine cli, Set<String> subcommands) {
    SUBCOMMANDS.forEach((name, command) -> {
      if (subcommands.contains(name)) cli.addSubcommand(name, command.get());
    });
    // After the subcommands: picocli's setters reach the subcommands present when they are called.
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine at = e.getCommandLine();
      // A value an option's method refused (--log-level loud) says why itself; picocli's wrapping names Java methods.
      String text = e.getCause() instanceof IllegalArgumentException refused && refused.getMessage() != null ? refused.getMessage() : e.getMessage();
      at.getErr().println(text + " (see " + at.getCommandSpec().qualifiedName() + " --help)");
      // "Did you mean: validate?" for a misspelt command or option, as picocli's own handler prints it.
      CommandLine.UnmatchedArgumentException.printSuggestions(e, at.getErr());
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
