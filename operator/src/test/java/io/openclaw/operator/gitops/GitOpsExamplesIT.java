package io.openclaw.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.LocatedYaml;
import io.openclaw.operator.cli.Main;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Helm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * examples/gitops/: what the Argo CD Applications and the Flux objects point at exists, their chart values are values
 * the chart renders (Helm, with its schema), the GitRepository's ignore rules let through exactly the chart and the
 * cluster examples (git's own matcher: Flux reads them as gitignore), and `validate` skips these foreign kinds
 * without failing, while examples/ and examples/local/ stay valid.
 */
class GitOpsExamplesIT {
  private static final Path ROOT = Fixtures.repoRoot();
  private static final Path GITOPS = ROOT.resolve("examples/gitops");

  @TempDir Path temp;

  @Test
  void theExamplesAreTheKindsTheReadmeNames() throws IOException {
    assertThat(kinds()).containsExactlyInAnyOrder("Application/openclaw-docker-operator", "Application/openclaw",
        "GitRepository/openclaw-docker-operator", "HelmRelease/openclaw-docker-operator", "Kustomization/openclaw");
  }

  @Test
  void theApplicationsAndTheHelmReleasePointAtTheChartAndTheExamplesWithValuesTheChartRenders() throws IOException {
    Map<String, JsonNode> objects = objects();
    JsonNode operatorApp = objects.get("Application/openclaw-docker-operator").path("spec");
    assertThat(ROOT.resolve(operatorApp.path("source").path("path").asString()).resolve("Chart.yaml")).exists();
    assertRenders("the Argo CD Application's values", operatorApp.path("source").path("helm").path("valuesObject"));
    JsonNode resourcesApp = objects.get("Application/openclaw").path("spec").path("source");
    assertThat(ROOT.resolve(resourcesApp.path("path").asString())).isEqualTo(ROOT.resolve("examples"));
    assertThat(resourcesApp.path("directory").path("recurse").asBoolean(true)).as("examples/ alone, not local/ and gitops/").isFalse();
    assertThat(Integer.parseInt(wave(objects.get("Application/openclaw-docker-operator"))))
        .as("the chart (and its CRDs) syncs before the resources").isLessThan(Integer.parseInt(wave(objects.get("Application/openclaw"))));

    JsonNode release = objects.get("HelmRelease/openclaw-docker-operator").path("spec");
    assertThat(ROOT.resolve(release.path("chart").path("spec").path("chart").asString()).resolve("Chart.yaml")).exists();
    assertThat(release.path("chart").path("spec").path("sourceRef").path("name").asString()).isEqualTo("openclaw-docker-operator");
    assertThat(release.path("upgrade").path("crds").asString()).as("Flux upgrades the CRDs").isEqualTo("CreateReplace");
    assertRenders("the HelmRelease's values", release.path("values"));

    JsonNode kustomization = objects.get("Kustomization/openclaw").path("spec");
    assertThat(ROOT.resolve(kustomization.path("path").asString()).normalize()).isEqualTo(ROOT.resolve("examples"));
    assertThat(kustomization.path("wait").asBoolean()).as("Flux judges the resources' health (kstatus)").isTrue();
  }

  @Test
  void theGitRepositoryLetsThroughTheChartAndTheClusterExamplesOnly() throws Exception {
    String ignore = objects().get("GitRepository/openclaw-docker-operator").path("spec").path("ignore").asString();
    Path rules = Files.writeString(temp.resolve("ignore"), ignore);
    Map<String, Boolean> ignored = new TreeMap<>();
    List<String> paths = List.of("charts/openclaw-docker-operator/Chart.yaml", "charts/openclaw-docker-operator/crds/gatewaydeployments.hardening.openclaw.io.yaml",
        "examples/gateway.yaml", "examples/sandbox-policy.yaml", "examples/egress-allowlist.yaml",
        "examples/local/gateway.yaml", "examples/local/secrets/gateway-token", "examples/gitops/flux-kustomization.yaml",
        "operator/pom.xml", "README.md", "hack/test.sh");
    for (String path : paths) {
      // git's own gitignore matcher, with these rules only (Flux applies them to the repository as gitignore lines).
      Helm.Run check = Helm.run(List.of("git", "-C", ROOT.toString(), "-c", "core.excludesFile=" + rules, "check-ignore", "--no-index", "-q", path));
      assertThat(check.code()).as("git check-ignore %s: %s", path, check.err()).isIn(0, 1);
      ignored.put(path, check.code() == 0);
    }
    assertThat(ignored).as("true: kept out of the artifact").containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("charts/openclaw-docker-operator/Chart.yaml", false),
        Map.entry("charts/openclaw-docker-operator/crds/gatewaydeployments.hardening.openclaw.io.yaml", false),
        Map.entry("examples/gateway.yaml", false), Map.entry("examples/sandbox-policy.yaml", false),
        Map.entry("examples/egress-allowlist.yaml", false),
        Map.entry("examples/local/gateway.yaml", true), Map.entry("examples/local/secrets/gateway-token", true),
        Map.entry("examples/gitops/flux-kustomization.yaml", true),
        Map.entry("operator/pom.xml", true), Map.entry("README.md", true), Map.entry("hack/test.sh", true)));
  }

  @Test
  void validateSkipsTheGitOpsObjectsAndExamplesStayValid() {
    Result gitops = validate(GITOPS.toString());
    assertThat(gitops.code()).as(gitops.text()).isZero();
    assertThat(gitops.text()).contains("Application/openclaw (argoproj.io/v1alpha1) is not a hardening.openclaw.io resource: skipped")
        .contains("Kustomization/openclaw (kustomize.toolkit.fluxcd.io/v1) is not a hardening.openclaw.io resource: skipped")
        .contains("valid: no resources in 4 file(s)");
    System.out.println("validate examples/gitops:\n" + gitops.text());
    for (String dir : List.of("examples", "examples/local")) {
      Result r = validate(ROOT.resolve(dir).toString());
      assertThat(r.code()).as("validate %s: %s", dir, r.text()).isZero();
      assertThat(r.text()).as(dir).contains("valid: 1 EgressAllowlist, 1 GatewayDeployment, 1 SandboxPolicy in 3 file(s)").doesNotContain("warning");
    }
  }

  // ---- plumbing

  private record Result(int code, String text) {}

  private static Result validate(String path) {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int code = cli.execute("validate", path);
    return new Result(code, out.toString());
  }

  private void assertRenders(String what, JsonNode values) throws IOException {
    Path file = Files.writeString(Files.createTempFile(temp, "values-", ".yaml"), Yaml.write(values));
    Helm.Rendered r = Helm.template("openclaw-docker-operator", "openclaw-system", "-f", file.toString());
    assertThat(r.kinds()).as(what).contains("Deployment");
  }

  private static String wave(JsonNode object) {
    return object.path("metadata").path("annotations").path("argocd.argoproj.io/sync-wave").asString("0");
  }

  private static List<String> kinds() throws IOException { return new ArrayList<>(objects().keySet()); }

  private static Map<String, JsonNode> objects() throws IOException {
    Map<String, JsonNode> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(GITOPS)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (LocatedYaml.Document d : LocatedYaml.read(Files.readString(f))) {
          JsonNode o = d.root();
          out.put(o.path("kind").asString() + "/" + o.path("metadata").path("name").asString(), o);
        }
      }
    } catch (LocatedYaml.SyntaxError e) {
      throw new AssertionError("examples/gitops is not YAML: " + e.getMessage());
    }
    return out;
  }
}
