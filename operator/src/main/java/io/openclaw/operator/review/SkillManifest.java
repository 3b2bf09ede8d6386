package io.openclaw.operator.review;

import io.openclaw.operator.api.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A SKILL.md's frontmatter read the way OpenClaw 2026.9 reads it (dist/frontmatter-BdjKgRi1.mjs and
 * dist/frontmatter-2H_F0IFB.mjs of the npm package): a leading {@code ---} block parsed as YAML; {@code metadata} either
 * a YAML mapping or a JSON5 string, whose {@code openclaw} key (legacy {@code clawdbot}) holds {@code requires.bins,
 * anyBins, env, config} (arrays or comma lists), {@code primaryEnv}, {@code always}, {@code os} and {@code install[]}
 * ({@code kind} brew, node, go, uv or download with {@code url} and optional {@code sha256}); the invocation keys
 * {@code user-invocable}, {@code disable-model-invocation}, {@code command-dispatch} and {@code command-tool} at the top
 * level. The name falls back to the folder's name; a missing description makes OpenClaw skip the skill.
 */
record SkillManifest(
    int closingLine, String problem, String name, String description, List<String> bins, List<String> anyBins, List<String> env,
    List<String> config, String primaryEnv, boolean always, List<Install> install, String userInvocable, String disableModelInvocation,
    String commandDispatch, String commandTool) {

  record Install(String kind, String what, String url, String sha256) {}

  /** OpenClaw's default limit on a SKILL.md (skills.limits.maxSkillFileBytes). */
  static final long MAX_SKILL_FILE_BYTES = 256_000;

  private static final Pattern DELIMITER = Pattern.compile("---[ \t]*");
  private static final JsonMapper JSON5 = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
          JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
      .build();

  /** Whether a line of SKILL.md belongs to the frontmatter (line numbers 1-based). */
  boolean inFrontmatter(int line) { return closingLine > 0 && line <= closingLine; }

  static SkillManifest parse(List<String> lines, String folderName) {
    if (lines.isEmpty() || !DELIMITER.matcher(stripBom(lines.get(0))).matches()) {
      return failed(0, "no frontmatter (a leading --- block): OpenClaw finds no description and skips the skill", folderName);
    }
    int closing = -1;
    for (int i = 1; i < lines.size(); i++) {
      if (DELIMITER.matcher(lines.get(i)).matches()) { closing = i; break; }
    }
    if (closing < 0) return failed(0, "the frontmatter has no closing --- line", folderName);
    JsonNode fm;
    try {
      fm = Yaml.MAPPER.readTree(String.join("\n", lines.subList(1, closing)));
    } catch (RuntimeException e) {
      return failed(closing + 1, "the frontmatter is not valid YAML: " + firstLine(e.getMessage()), folderName);
    }
    if (fm == null || fm.isMissingNode() || fm.isNull()) fm = Yaml.JSON.createObjectNode();
    if (!fm.isObject()) return failed(closing + 1, "the frontmatter is not a YAML mapping", folderName);
    String name = text(fm.get("name"));
    if (name.isBlank()) name = folderName;
    String description = text(fm.get("description"));
    String problem = description.isBlank() ? "the frontmatter has no description: OpenClaw skips the skill" : null;
    JsonNode oc = openclawBlock(fm.get("metadata"));
    JsonNode requires = oc.path("requires");
    List<Install> install = new ArrayList<>();
    for (JsonNode i : oc.path("install")) {
      String kind = text(i.has("kind") ? i.get("kind") : i.get("type")).toLowerCase(Locale.ROOT);
      String what = switch (kind) {
        case "brew" -> text(i.has("formula") ? i.get("formula") : i.get("cask"));
        case "node", "uv" -> text(i.get("package"));
        case "go" -> text(i.get("module"));
        case "download" -> text(i.get("url"));
        default -> "";
      };
      if (!what.isEmpty()) install.add(new Install(kind, what, text(i.get("url")), text(i.get("sha256"))));
    }
    return new SkillManifest(closing + 1, problem, name.trim(), description.trim(), list(requires.get("bins")), list(requires.get("anyBins")),
        list(requires.get("env")), list(requires.get("config")), text(oc.get("primaryEnv")), oc.path("always").asBoolean(false), install,
        text(fm.get("user-invocable")), text(fm.get("disable-model-invocation")), text(fm.get("command-dispatch")), text(fm.get("command-tool")));
  }

  private static SkillManifest failed(int line, String problem, String folderName) {
    return new SkillManifest(line, problem, folderName, "", List.of(), List.of(), List.of(), List.of(), "", false, List.of(), "", "", "", "");
  }

  /** metadata.openclaw (or the legacy metadata.clawdbot); metadata may be a mapping or a JSON5 string. */
  private static JsonNode openclawBlock(JsonNode metadata) {
    if (metadata == null) return Yaml.JSON.createObjectNode();
    JsonNode m = metadata;
    if (metadata.isString()) {
      try {
        m = JSON5.readTree(metadata.asString());
      } catch (RuntimeException e) {
        return Yaml.JSON.createObjectNode();
      }
    }
    for (String key : List.of("openclaw", "clawdbot")) {
      if (m.path(key).isObject()) return m.get(key);
    }
    return Yaml.JSON.createObjectNode();
  }

  /** An array of strings or a comma-separated string, as OpenClaw's normalizeStringList reads it. */
  private static List<String> list(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) return out;
    if (node.isArray()) {
      node.forEach(n -> { if (!text(n).isBlank()) out.add(text(n).trim()); });
    } else if (node.isString()) {
      for (String s : node.asString().split(",")) if (!s.isBlank()) out.add(s.trim());
    }
    return out;
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainer()) return "";
    return node.asString();
  }

  private static String stripBom(String s) { return s.startsWith("\uFEFF") ? s.substring(1) : s; }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
