package io.openclaw.operator.cli;

import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.source.ManifestLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "validate", description = {
    "Checks manifests offline against the CRD schemas and the API's rules; for CI and pre-commit.",
    "Prints every problem as file:line: kind/name: field: message and exits 1; a valid set prints one line."})
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories (not recursive).")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestLoader.Result result = ManifestLoader.load(paths);
    result.problems().forEach(p -> (p.isError() ? err : out).println(p));
    if (result.hasErrors()) {
      long errors = result.errors().size();
      err.println(errors + (errors == 1 ? " problem" : " problems") + " in " + result.files().size() + " file(s)");
      return 1;
    }
    out.println("valid: " + summary(result.manifests()) + " in " + result.files().size() + " file(s)");
    return 0;
  }

  static String summary(List<Manifest> manifests) {
    Map<String, Integer> counts = new TreeMap<>();
    manifests.forEach(m -> counts.merge(m.key().kind(), 1, Integer::sum));
    if (counts.isEmpty()) return "no resources";
    StringBuilder s = new StringBuilder();
    counts.forEach((kind, n) -> s.append(s.isEmpty() ? "" : ", ").append(n).append(' ').append(kind));
    return s.toString();
  }

}
