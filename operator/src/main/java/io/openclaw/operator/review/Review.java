package io.openclaw.operator.review;

import io.openclaw.operator.audit.Report;
import io.openclaw.operator.review.SkillFolder.TextFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Onboarding review of an OpenClaw skill or agent folder before it is installed: what it would do once OpenClaw loads
 * it, judged against the deployment's tool denials and egress allowlist. Findings come in the audit's shape.
 *
 * <p>What OpenClaw 2026.9.6 loads, as read in its npm package (docs/tools/skills.md, docs/tools/creating-skills.md,
 * docs/tools/skills-config.md, docs/concepts/agent-workspace.md, docs/reference/templates/TOOLS.md; code in
 * dist/local-loader-DP-Jr6_I.mjs, dist/skill-root-discovery-DZF8sfp6.mjs, dist/frontmatter-*.mjs):
 * <ul>
 *   <li>A skill is a folder with {@code SKILL.md}: a YAML frontmatter block between {@code ---} lines, then Markdown
 *   instructions the model reads (with {@code {baseDir}} standing for the folder). {@code name} (default: the folder's
 *   name) and {@code description} are required; without a description OpenClaw skips the skill. Optional:
 *   {@code homepage}, {@code user-invocable} (default true: a slash command), {@code disable-model-invocation},
 *   {@code command-dispatch: tool} with {@code command-tool} (the slash command calls that tool directly, bypassing the
 *   model), and {@code metadata} whose {@code openclaw} block (JSON5 or YAML; legacy {@code clawdbot}) gates loading:
 *   {@code requires.bins}/{@code anyBins} (programs on the gateway host's PATH), {@code requires.env},
 *   {@code requires.config} (openclaw.json paths that must be truthy), {@code primaryEnv} (the variable
 *   {@code skills.entries.<name>.apiKey} fills), {@code always}, {@code os}, {@code install[]} (brew, node, go, uv or
 *   download with {@code url} and optional {@code sha256}, run on the gateway host). There is no {@code allowed-tools}
 *   key: tools come from the agent's tool policy, and a skill only tells the model how to use them.</li>
 *   <li>Beside SKILL.md a skill carries {@code scripts/}, {@code references/}, {@code assets/} (also {@code examples/},
 *   {@code templates/}); the model reads them through its tools. OpenClaw skips {@code .git} and {@code node_modules}
 *   when it copies a skill into a sandbox, reads SKILL.md only if its real path stays inside the skill root, refuses a
 *   hard-linked SKILL.md and one over 256 kB.</li>
 *   <li>An agent workspace holds AGENTS.md (operating rules, with a "## Tools" section of local notes), SOUL.md,
 *   USER.md, IDENTITY.md, BOOT.md, BOOTSTRAP.md, HEARTBEAT.md, MEMORY.md and memory/, all loaded into the model's
 *   context (TOOLS.md is retired into AGENTS.md), and skills in {@code skills/} and {@code .agents/skills/}, found up to
 *   six levels deep (a SKILL.md ends the search below it). Workspace skills have the highest precedence: a workspace
 *   skill named like a bundled one replaces it.</li>
 *   <li>Skill env and apiKey are injected into the host's agent run only, not into the sandbox; requires.bins is checked
 *   on the host.</li>
 * </ul>
 */
public final class Review {
  private static final Pattern SKILL_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private Review() {}

  /** The folder's findings, most severe first. IllegalArgumentException when the folder holds nothing OpenClaw loads. */
  public static Report review(Path dir, ReviewPolicy policy, long ts) throws IOException {
    SkillFolder folder = SkillFolder.read(dir);
    boolean agent = folder.isAgentWorkspace();
    if (folder.skillDirs().isEmpty() && !agent) {
      throw new IllegalArgumentException(dir + " holds no SKILL.md and no agent workspace file (" + String.join(", ", SkillFolder.AGENT_FILES)
          + "): nothing OpenClaw would load");
    }
    Findings findings = new Findings();
    findings.add(ReviewCheck.POLICY, Location.FOLDER, policy.summary());
    TextScan scan = new TextScan(policy, findings, folder.root(), folder.skillDirs());

    Map<String, SkillManifest> manifests = new LinkedHashMap<>();
    for (Path skillDir : folder.skillDirs()) {
      String rel = SkillFolder.relative(folder.root(), skillDir.resolve("SKILL.md"));
      Optional<TextFile> file = folder.texts().stream().filter(t -> t.rel().equals(rel)).findFirst();
      if (file.isEmpty()) {
        findings.add(ReviewCheck.INVALID_SKILL, Location.file(rel), "SKILL.md is not a regular text file (a link, or binary): OpenClaw reads it only as a regular file inside the skill folder");
        continue;
      }
      SkillManifest m = SkillManifest.parse(file.get().lines(), skillDir.getFileName().toString());
      manifests.put(rel, m);
      manifestChecks(findings, policy, file.get(), m);
    }
    for (TextFile t : folder.texts()) scan.scan(t, manifests.get(t.rel()));
    for (SkillFolder.Link l : folder.links()) {
      if (l.escapes()) {
        findings.add(ReviewCheck.SYMLINK_ESCAPE, Location.file(l.rel()), "links to " + l.rawTarget() + " (" + l.target() + "), outside the reviewed folder"
            + (l.rel().endsWith("SKILL.md") ? "; OpenClaw refuses such a SKILL.md" : ""));
      }
    }
    for (SkillFolder.Opaque o : folder.opaque()) {
      findings.add(o.executable() ? ReviewCheck.BINARY_FILE : ReviewCheck.OPAQUE_FILE, Location.file(o.rel()), o.what());
    }
    findings.add(ReviewCheck.TARGET, Location.FOLDER, target(folder, agent, manifests, scan));
    return new Report(ts, findings.sorted());
  }

  private static String target(SkillFolder folder, boolean agent, Map<String, SkillManifest> manifests, TextScan scan) {
    List<String> skills = new ArrayList<>();
    manifests.forEach((rel, m) -> skills.add(rel.equals("SKILL.md") ? "\"" + m.name() + "\"" : "\"" + m.name() + "\" (" + rel + ")"));
    StringBuilder s = new StringBuilder();
    if (agent) {
      s.append("agent workspace (").append(String.join(", ", SkillFolder.AGENT_FILES.stream()
          .filter(f -> Files.isRegularFile(folder.root().resolve(f))).toList())).append(")");
      s.append(skills.isEmpty() ? " without skills" : " with skills " + String.join(", ", skills));
    } else if (manifests.containsKey("SKILL.md")) {
      s.append("skill ").append(skills.get(0));
    } else {
      s.append("skills folder with ").append(String.join(", ", skills));
    }
    s.append("; ").append(count(folder.texts().size(), "text file")).append(", ").append(count(folder.opaque().size(), "other file")).append(", ")
        .append(count(folder.links().size(), "link"));
    if (folder.truncated()) s.append(" (the walk stopped after ").append(SkillFolder.MAX_FILES).append(" files: the rest was not reviewed)");
    if (!scan.programs.isEmpty()) s.append("; programs run: ").append(String.join(", ", scan.programs));
    return s.toString();
  }

  private static String count(int n, String what) { return n + " " + what + (n == 1 ? "" : "s"); }

  /** What the frontmatter asks for: programs, environment, settings, installers, invocation. */
  private static void manifestChecks(Findings findings, ReviewPolicy policy, TextFile file, SkillManifest m) {
    String rel = file.rel();
    if (m.problem() != null) findings.add(ReviewCheck.INVALID_SKILL, new Location(rel, Math.max(1, m.closingLine())), m.problem());
    if (file.size() > SkillManifest.MAX_SKILL_FILE_BYTES) {
      findings.add(ReviewCheck.INVALID_SKILL, Location.file(rel), "SKILL.md is " + file.size() + " bytes; OpenClaw skips one over 256000 (skills.limits.maxSkillFileBytes)");
    }
    if (m.closingLine() <= 0) return;
    if (!SKILL_NAME.matcher(m.name()).matches()) {
      findings.add(ReviewCheck.INVOCATION, at(file, m, "name"), "name \"" + TextScan.excerpt(m.name())
          + "\" is not lowercase letters, digits and hyphens: its slash command is normalized");
    }
    List<String> programs = new ArrayList<>(m.bins());
    programs.addAll(m.anyBins());
    if (!m.bins().isEmpty() || !m.anyBins().isEmpty()) {
      String all = (m.bins().isEmpty() ? "" : "all of " + String.join(", ", m.bins()))
          + (m.anyBins().isEmpty() ? "" : (m.bins().isEmpty() ? "" : "; ") + "one of " + String.join(", ", m.anyBins()));
      findings.add(ReviewCheck.BINARY_REQUIRED, at(file, m, programs.get(0)), all);
    }
    for (String p : programs) {
      Commands.denialOf(p).filter(policy::denied).ifPresent(name -> findings.add(ReviewCheck.TOOL_DENIED, at(file, m, p),
          "requires " + p + ", which stands for \"" + name + "\" (" + policy.deniedBy(name) + ")"));
    }
    List<String> env = new ArrayList<>(m.env());
    if (!m.primaryEnv().isBlank() && !env.contains(m.primaryEnv())) env.add(m.primaryEnv());
    for (String e : env) {
      boolean secret = Patterns.secretName(e) || e.equals(m.primaryEnv());
      findings.add(secret ? ReviewCheck.SECRET_REQUESTED : ReviewCheck.ENV_REQUESTED, at(file, m, e),
          e + (e.equals(m.primaryEnv()) ? " (primaryEnv: the skill's API key)" : "") + " from the gateway's environment or skills.entries." + m.name() + ".env");
    }
    for (String c : m.config()) {
      findings.add(ReviewCheck.CONFIG_REQUIRED, at(file, m, c), c);
      String[] parts = c.split("\\.");
      String tool = parts[0].equals("tools") && parts.length > 1 ? parts[1] : parts[0];
      if (policy.denied(tool)) {
        findings.add(ReviewCheck.TOOL_DENIED, at(file, m, c), "needs " + c + ", a setting of the " + tool + " tool (" + policy.deniedBy(tool) + ")");
      }
    }
    for (SkillManifest.Install i : m.install()) {
      findings.add(ReviewCheck.INSTALL_SPEC, at(file, m, i.what()), i.kind() + " " + i.what());
      if (i.kind().equals("download") && i.sha256().isBlank()) {
        findings.add(ReviewCheck.DOWNLOAD_UNVERIFIED, at(file, m, i.url()), i.url() + " has no sha256");
      }
      if (i.kind().equals("brew") || i.kind().equals("node") || i.kind().equals("go") || i.kind().equals("uv")) {
        Commands.denialOf(i.what()).filter(policy::denied).ifPresent(name -> findings.add(ReviewCheck.TOOL_DENIED, at(file, m, i.what()),
            "installs " + i.what() + ", which stands for \"" + name + "\" (" + policy.deniedBy(name) + ")"));
      }
    }
    if ("tool".equalsIgnoreCase(m.commandDispatch())) {
      String tool = m.commandTool();
      findings.add(ReviewCheck.INVOCATION, at(file, m, "command-dispatch"), "its slash command calls the " + tool + " tool directly, bypassing the model");
      if (policy.denied(tool)) {
        findings.add(ReviewCheck.TOOL_DENIED, at(file, m, "command-tool"), "command-tool " + tool + " (" + policy.deniedBy(tool) + ")");
      }
    }
    if (m.always()) findings.add(ReviewCheck.INVOCATION, at(file, m, "always"), "always: true loads it even when its requirements are missing");
    if (isTrue(m.disableModelInvocation())) {
      findings.add(ReviewCheck.INVOCATION, at(file, m, "disable-model-invocation"), "kept out of the model's prompt; only an explicit /" + m.name() + " or $" + m.name() + " runs it");
    }
    if (isFalse(m.userInvocable())) findings.add(ReviewCheck.INVOCATION, at(file, m, "user-invocable"), "no slash command: only the model chooses it");
  }

  private static boolean isTrue(String s) { return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes") || s.equals("1") || s.equalsIgnoreCase("on"); }

  private static boolean isFalse(String s) { return s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no") || s.equals("0") || s.equalsIgnoreCase("off"); }

  /** The frontmatter line that names a value (the first whole-word occurrence), or the line after the block's start. */
  private static Location at(TextFile file, SkillManifest m, String token) {
    Pattern p = Pattern.compile("(?<![\\w.-])" + Pattern.quote(token) + "(?![\\w-])");
    for (int i = 1; i < m.closingLine() - 1 && i < file.lines().size(); i++) {
      if (p.matcher(file.lines().get(i)).find()) return new Location(file.rel(), i + 1);
    }
    return new Location(file.rel(), 2);
  }
}
