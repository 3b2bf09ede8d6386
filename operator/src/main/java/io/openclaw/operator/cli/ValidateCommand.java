package io.openclaw.operator.cli;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.api.validation.Problem;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "validate", description = {
    "Checks manifests offline against the CRD schemas and the API's rules; for CI and pre-commit.",
    "Prints every problem as file:line: kind/name: field: message and exits 1; a valid set prints one line.",
    "Exit codes: 0 valid, 1 problems found, 64 usage error (a path that does not exist)."})
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories (not recursive).")
  List<Path> paths;

  /** JSON: {valid, files, resources: {kind: count}, problems: [{file, line, kind, namespace, name, field, message, severity, code}]}. */
  @picocli.CommandLine.Mixin Output output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json = output.json();
    for (Path p : paths) {
      if (!java.nio.file.Files.exists(p)) throw new IllegalArgumentException(p + " does not exist: give manifest files or directories");
    }
    ManifestLoader.Result result = ManifestLoader.load(paths);
    if (json) {
      out.println(Yaml.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(result)));
      out.flush();
      return result.hasErrors() ? Exit.FOUND : Exit.OK;
    }
    result.problems().forEach(p -> (p.isError() ? err : out).println(p));
    if (result.hasErrors()) {
      long errors = result.errors().size();
      err.println(errors + (errors == 1 ? " problem" : " problems") + " in " + result.files().size() + " file(s)");
      return Exit.FOUND;
    }
    out.println("valid: " + summary(result.manifests()) + " in " + result.files().size() + " file(s)");
    return Exit.OK;
  }

  private static ObjectNode toJson(ManifestLoader.Result result) {
    ObjectNode root = Yaml.JSON.createObjectNode();
    root.put("valid", !result.hasErrors());
    root.put("files", result.files().size());
    ObjectNode kinds = root.putObject("resources");
    result.manifests().forEach(m -> kinds.put(m.key().kind(), kinds.path(m.key().kind()).asInt(0) + 1));
    ArrayNode problems = root.putArray("problems");
    for (Problem p : result.problems()) {
      ObjectNode o = problems.addObject();
      o.put("file", p.file() == null ? null : p.file().toString()).put("line", p.line()).put("kind", p.kind()).put("namespace", p.namespace())
          .put("name", p.name()).put("field", p.field()).put("message", p.message())
          .put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT)).put("code", p.code().name().toLowerCase(java.util.Locale.ROOT));
    }
    return root;
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
