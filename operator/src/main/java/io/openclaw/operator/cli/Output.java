package io.openclaw.operator.cli;

import picocli.CommandLine.Option;

/** -o json (or --json) on every command that prints a result; text otherwise. */
final class Output {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default) or json: a stable shape for scripts, documented in the README.")
  String format;

  @Option(names = "--json", description = "Same as -o json.")
  boolean json;

  boolean json() {
    if (!format.equals("text") && !format.equals("json")) throw new IllegalArgumentException("-o must be text or json, not " + format);
    return json || format.equals("json");
  }
}
