package io.openclaw.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * What GitOps tools make of a resource's status: Argo CD through the chart's Lua health check (run in a real Lua,
 * hack/lua.sh), Flux through kstatus (sigs.k8s.io/cli-utils, the Go program hack/kstatus.sh builds; or the binary
 * named by -Dkstatus.bin).
 */
public final class Health {
  private static final Path HEALTH_CHECKS = Fixtures.repoRoot().resolve("charts/openclaw-docker-operator/argocd/health-checks.yaml");

  private Health() {}

  /** Argo CD's health of the object: status and message, as the chart's script for its kind returns them. */
  public static String argoCd(String luaVersion, JsonNode object) throws IOException {
    String key = "resource.customizations.health.hardening.openclaw.io_GatewayDeployment"; // the one script all kinds share
    String script = Yaml.MAPPER.readTree(Files.readString(HEALTH_CHECKS)).path("data").path(key).asString();
    assertThat(script).as("%s in %s", key, HEALTH_CHECKS).isNotBlank();
    Path file = Files.createTempFile("health-", ".lua");
    try {
      Files.writeString(file, "obj = " + luaTable(object) + "\nlocal hs = (function()\n" + script
          + "\nend)()\nio.write(hs.status, \"\\n\", hs.message or \"\")\n");
      Helm.Run run = Helm.run(List.of(Fixtures.repoRoot().resolve("hack/lua.sh").toString(), luaVersion, file.toString()));
      assertThat(run.code()).as("lua%s: %s", luaVersion, run.err()).isZero();
      return run.out();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** kstatus' result for the object: {@code status} (Current, InProgress, Failed, Terminating, ...) and {@code message}. */
  public static JsonNode kstatus(JsonNode object) throws IOException, InterruptedException {
    List<String> command = kstatusCommand();
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(Yaml.json(object).getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("%s finished (a first run builds it)", command).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    return Yaml.JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  private static List<String> kstatusCommand() {
    String bin = System.getProperty("kstatus.bin");
    if (bin != null && !bin.isBlank()) return List.of(bin);
    Path script = Fixtures.repoRoot().resolve("hack/kstatus.sh");
    assertThat(Files.isExecutable(script)).as("kstatus: hack/kstatus.sh (or -Dkstatus.bin=PATH to a kstatus binary)").isTrue();
    return List.of(script.toString());
  }

  /** A JSON value as a Lua table constructor. */
  public static String luaTable(JsonNode node) {
    if (node.isObject()) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<String, JsonNode> e : node.properties()) b.append('[').append(luaString(e.getKey())).append("]=").append(luaTable(e.getValue())).append(',');
      return b.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder b = new StringBuilder("{");
      for (JsonNode e : node) b.append(luaTable(e)).append(',');
      return b.append('}').toString();
    }
    if (node.isString()) return luaString(node.asString());
    if (node.isNumber() || node.isBoolean()) return node.toString();
    return "nil";
  }

  private static String luaString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append('\\').append((int) c);
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
