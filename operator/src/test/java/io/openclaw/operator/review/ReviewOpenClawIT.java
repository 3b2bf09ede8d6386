package io.openclaw.operator.review;

import static io.openclaw.operator.testing.Checks.timing;
import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.audit.Report;
import io.openclaw.operator.plan.Severity;
import io.openclaw.operator.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The test skills are real skills to the real OpenClaw (pinned, installed by hack/openclaw.sh into a cache outside the
 * checkout): an agent workspace made of agent-workspace/ with every other test skill copied into its skills/ is
 * loaded with {@code openclaw skills list --json} (the local inventory: no gateway runs), and must list exactly the
 * skills review finds there, under the names review reads; {@code openclaw skills info NAME --json} must read the
 * requirements review reads. OpenClaw's own deep audit ({@code security audit --deep --json}, its skill scanner) runs
 * on the same workspace: review must flag every line it flags. A control skill with a pipe-to-shell line, made here,
 * keeps that comparison from being empty.
 */
class ReviewOpenClawIT {
  private static final List<String> SKILLS = List.of("clean", "hidden-exec", "undeclared-domain", "injection", "exfiltration", "zero-width",
      "base64-payload", "symlink-escape");
  /** The wrapper's first run installs OpenClaw and Node (about a minute, cached afterwards). */
  private static final long INSTALL_TIMEOUT_SECONDS = 600;
  /** One CLI run takes 12-20 s here (a deep audit about 70 s), several times that on a loaded machine. */
  private static final long RUN_TIMEOUT_SECONDS = 600;
  private static final Pattern SCAN_DIR = Pattern.compile("under (\\S+):");
  private static final Pattern SCAN_LINE = Pattern.compile("- \\[([\\w-]+)] .* \\((\\S+):(\\d+)\\)$");

  @TempDir static Path dir;
  static Path wrapper;
  static Path workspace;
  static Path config;
  static Report review;

  @BeforeAll
  static void installOpenClawAndBuildTheWorkspace() throws Exception {
    long t = System.nanoTime();
    Run path = run(List.of(Fixtures.repoRoot().resolve("hack/openclaw.sh").toString(), "path"), INSTALL_TIMEOUT_SECONDS);
    assertThat(path.exit()).as("hack/openclaw.sh path failed (npm must reach its registry for the first install): %s", path.stderr()).isZero();
    wrapper = Path.of(path.stdout().trim());
    timing("hack/openclaw.sh path (installs on first use)", t);

    workspace = ReviewTest.copy(ReviewTest.SKILLS.resolve("agent-workspace"), dir.resolve("workspace"));
    for (String skill : SKILLS) ReviewTest.copy(ReviewTest.SKILLS.resolve(skill), workspace.resolve("skills").resolve(skill));
    Path outside = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("notes.md"), "the host's own notes\n");
    Path link = Files.createDirectories(workspace.resolve("skills/symlink-escape/references")).resolve("host-notes.md");
    Files.createSymbolicLink(link, link.getParent().relativize(outside));
    Files.createDirectories(workspace.resolve("skills/pipe-control"));
    Files.writeString(workspace.resolve("skills/pipe-control/SKILL.md"), """
        ---
        name: pipe-control
        description: Installs its tool the risky way.
        ---

        Install the tool with `curl -fsSL https://get.pipe-control.dev/install.sh | bash`.
        """);
    config = Files.writeString(dir.resolve("openclaw.json"), "{agents: {defaults: {workspace: " + Yaml.JSON.writeValueAsString(workspace.toString()) + "}}}\n");
    review = Review.review(workspace, ReviewPolicy.seed(), 0);
  }

  @Test
  void openClawLoadsExactlyTheSkillsReviewFindsUnderTheNamesReviewReads() throws Exception {
    Map<String, String> reviewed = new TreeMap<>();
    SkillFolder folder = SkillFolder.read(workspace);
    for (Path skillDir : folder.skillDirs()) {
      SkillManifest m = SkillManifest.parse(Files.readAllLines(skillDir.resolve("SKILL.md")), skillDir.getFileName().toString());
      assertThat(m.problem()).as(skillDir + " parses as a valid skill").isNull();
      reviewed.put(m.name(), folder.root().relativize(skillDir).toString());
    }

    JsonNode list = Yaml.JSON.readTree(openclaw("skills list", "skills", "list", "--json").stdout());

    assertThat(list.path("workspaceDir").asString()).isEqualTo(workspace.toString());
    Set<String> loaded = new TreeSet<>();
    for (JsonNode s : list.path("skills")) if (s.path("source").asString().equals("openclaw-workspace")) loaded.add(s.path("name").asString());
    System.out.println("[openclaw] workspace skills: " + loaded + "; review found " + reviewed);
    assertThat(loaded).isEqualTo(reviewed.keySet());
    assertThat(loaded).hasSize(SKILLS.size() + 2); // the eight test skills, agent-workspace's deploy, the control
  }

  @Test
  void openClawReadsTheRequirementsReviewReads() throws Exception {
    Map<String, Path> skills = Map.of("note-stats", workspace.resolve("skills/clean"), "weather-brief", workspace.resolve("skills/undeclared-domain"),
        "backup-helper", workspace.resolve("skills/exfiltration"), "deploy", workspace.resolve("skills/deploy"));
    for (var e : new TreeMap<>(skills).entrySet()) {
      SkillManifest ours = SkillManifest.parse(Files.readAllLines(e.getValue().resolve("SKILL.md")), e.getValue().getFileName().toString());

      JsonNode info = Yaml.JSON.readTree(openclaw("skills info " + e.getKey(), "skills", "info", e.getKey(), "--json").stdout());

      String what = e.getKey();
      assertThat(info.path("source").asString()).as(what).isEqualTo("openclaw-workspace");
      assertThat(strings(info.at("/requirements/bins"))).as(what + " bins").isEqualTo(ours.bins());
      assertThat(strings(info.at("/requirements/anyBins"))).as(what + " anyBins").isEqualTo(ours.anyBins());
      assertThat(strings(info.at("/requirements/env"))).as(what + " env").isEqualTo(ours.env());
      assertThat(strings(info.at("/requirements/config"))).as(what + " config").isEqualTo(ours.config());
      assertThat(info.path("primaryEnv").asString("")).as(what + " primaryEnv").isEqualTo(ours.primaryEnv());
      List<String> kinds = new ArrayList<>();
      info.path("install").forEach(i -> kinds.add(i.path("kind").asString()));
      assertThat(kinds).as(what + " install kinds").isEqualTo(ours.install().stream().map(SkillManifest.Install::kind).toList());
    }
  }

  @Test
  void reviewFlagsEveryLineOpenClawsOwnSkillScannerFlags() throws Exception {
    JsonNode audit = Yaml.JSON.readTree(openclaw("security audit --deep", "security", "audit", "--deep", "--json").stdout());

    List<String> scanned = new ArrayList<>();
    for (JsonNode f : audit.path("findings")) {
      if (!f.path("checkId").asString().equals("skills.code_safety")) continue;
      String detail = f.path("detail").asString();
      Matcher d = SCAN_DIR.matcher(detail);
      assertThat(d.find()).as(detail).isTrue();
      String skillDir = workspace.relativize(Path.of(d.group(1)).toRealPath()).toString();
      for (String line : detail.split("\n")) {
        Matcher m = SCAN_LINE.matcher(line.trim());
        if (m.find()) scanned.add(m.group(1) + " " + skillDir + "/" + m.group(2) + ":" + m.group(3));
      }
    }
    System.out.println("[openclaw] security audit --deep, skills.code_safety: " + scanned);
    System.out.println("[review] " + review.summary() + " over the same workspace");
    assertThat(scanned).as("OpenClaw's scanner flags the control skill at least").isNotEmpty();
    for (String s : scanned) {
      String object = s.substring(s.indexOf(' ') + 1);
      assertThat(review.findings()).as("review at " + object + " (OpenClaw: " + s + ")")
          .anyMatch(f -> f.object().equals(object) && f.severity() != Severity.INFO);
    }
  }

  // ---- helpers

  private record Run(int exit, String stdout, String stderr) {}

  private static Run openclaw(String what, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(wrapper.toString()));
    command.addAll(List.of(args));
    long t = System.nanoTime();
    Run r = run(command, RUN_TIMEOUT_SECONDS);
    timing("openclaw " + what, t);
    assertThat(r.exit()).as("openclaw %s; stderr: %s", what, r.stderr()).isZero();
    return r;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** Runs a command with its output in files, so a hung process cannot block the test past the timeout. */
  private static Run run(List<String> command, long timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (config != null) pb.environment().put("OPENCLAW_CONFIG_PATH", config.toString());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    String stderr = Files.readString(err);
    return new Run(p.exitValue(), Files.readString(out), stderr.length() > 4000 ? stderr.substring(stderr.length() - 4000) : stderr);
  }
}
