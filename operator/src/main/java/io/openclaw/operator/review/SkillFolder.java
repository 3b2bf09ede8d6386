package io.openclaw.operator.review;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The files of a reviewed folder, walked without following links: each text file with its lines, each link with where
 * it leads, each file that is no text. Like OpenClaw's skill sync (shouldSyncSkillPath) it leaves {@code .git} and
 * {@code node_modules} out.
 */
record SkillFolder(Path root, List<TextFile> texts, List<Link> links, List<Opaque> opaque, List<Path> skillDirs, boolean truncated) {
  /** Larger files are not read (OpenClaw caps a managed skill bundle's file at 1 MiB). */
  static final long MAX_TEXT_BYTES = 1 << 20;
  static final int MAX_FILES = 5_000;
  /** OpenClaw's grouped skill discovery (MAX_GROUPED_SKILL_SCAN_DEPTH): SKILL.md up to 6 levels under a skills root. */
  static final int MAX_SKILL_DEPTH = 6;
  /** An agent workspace's bootstrap files (docs/concepts/agent-workspace.md); TOOLS.md is retired but still read by old installs. */
  static final List<String> AGENT_FILES = List.of("AGENTS.md", "SOUL.md", "USER.md", "IDENTITY.md", "TOOLS.md", "BOOT.md", "BOOTSTRAP.md",
      "HEARTBEAT.md", "MEMORY.md");

  enum Kind { MARKDOWN, SHELL, PYTHON, JAVASCRIPT, OTHER }

  record TextFile(Path path, String rel, Kind kind, List<String> lines, long size) {
    boolean isSkillManifest() { return path.getFileName().toString().equals("SKILL.md"); }
  }

  /** A symbolic link; {@code target} is where it resolves (really, or lexically when it dangles). */
  record Link(String rel, String rawTarget, Path target, boolean escapes) {}

  /** A file not read as text: {@code executable} for programs and archives, otherwise images, fonts, documents. */
  record Opaque(String rel, String what, boolean executable) {}

  private static final Set<String> SKIPPED_DIRS = Set.of(".git", "node_modules");
  private static final Set<String> MEDIA = Set.of("png", "jpg", "jpeg", "gif", "webp", "svgz", "ico", "bmp", "tif", "tiff", "pdf", "woff",
      "woff2", "ttf", "otf", "eot", "mp3", "wav", "ogg", "mp4", "webm", "mov");

  static SkillFolder read(Path dir) throws IOException {
    Path root = dir.toRealPath();
    List<TextFile> texts = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    List<Opaque> opaque = new ArrayList<>();
    int[] count = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        return !d.equals(root) && SKIPPED_DIRS.contains(d.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (++count[0] > MAX_FILES) return FileVisitResult.TERMINATE;
        String rel = relative(root, f);
        if (attrs.isSymbolicLink()) {
          links.add(link(root, f, rel));
        } else if (attrs.isRegularFile()) {
          read(f, rel, attrs.size(), texts, opaque);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) {
        opaque.add(new Opaque(relative(root, f), "unreadable: " + e.getMessage(), false));
        return FileVisitResult.CONTINUE;
      }
    });
    texts.sort((a, b) -> a.rel().compareTo(b.rel()));
    links.sort((a, b) -> a.rel().compareTo(b.rel()));
    opaque.sort((a, b) -> a.rel().compareTo(b.rel()));
    return new SkillFolder(root, texts, links, opaque, skillDirs(root), count[0] > MAX_FILES);
  }

  /**
   * The folder itself when it holds SKILL.md; otherwise the skills OpenClaw would discover in it as a workspace
   * (skills/ and .agents/skills/), or, for a folder that is no workspace, in it as a skills root.
   */
  private static List<Path> skillDirs(Path root) throws IOException {
    if (Files.exists(root.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) return List.of(root);
    List<Path> out = new ArrayList<>();
    for (Path skillsRoot : List.of(root.resolve("skills"), root.resolve(".agents/skills"))) {
      if (Files.isDirectory(skillsRoot, LinkOption.NOFOLLOW_LINKS)) discover(skillsRoot, 0, out);
    }
    if (out.isEmpty() && !isAgentWorkspace(root)) discover(root, 0, out);
    return out;
  }

  private static void discover(Path dir, int depth, List<Path> out) throws IOException {
    if (depth > MAX_SKILL_DEPTH) return;
    List<Path> children;
    try (var s = Files.list(dir)) {
      children = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !SKIPPED_DIRS.contains(p.getFileName().toString()))
          .sorted().toList();
    }
    for (Path child : children) {
      // Finding SKILL.md ends the traversal below that folder, as in OpenClaw's grouped discovery.
      if (Files.exists(child.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) out.add(child);
      else discover(child, depth + 1, out);
    }
  }

  boolean isAgentWorkspace() { return isAgentWorkspace(root); }

  private static boolean isAgentWorkspace(Path root) {
    return AGENT_FILES.stream().anyMatch(f -> Files.isRegularFile(root.resolve(f), LinkOption.NOFOLLOW_LINKS));
  }

  private static Link link(Path root, Path f, String rel) throws IOException {
    Path raw = Files.readSymbolicLink(f);
    Path lexical = f.getParent().resolve(raw).normalize();
    Path target;
    try {
      target = f.toRealPath();
    } catch (IOException dangling) {
      target = lexical;
    }
    return new Link(rel, raw.toString(), target, !target.startsWith(root) || !lexical.startsWith(root));
  }

  private static void read(Path f, String rel, long size, List<TextFile> texts, List<Opaque> opaque) throws IOException {
    String name = f.getFileName().toString();
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
    byte[] head;
    try (var in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
      head = in.readNBytes(8192);
    }
    String magic = executableMagic(head);
    if (magic != null) {
      opaque.add(new Opaque(rel, magic, true));
      return;
    }
    if (MEDIA.contains(ext)) {
      opaque.add(new Opaque(rel, ext + " file", false));
      return;
    }
    if (size > MAX_TEXT_BYTES) {
      opaque.add(new Opaque(rel, "text larger than 1 MiB, not read", true));
      return;
    }
    for (byte b : head) {
      if (b == 0) {
        opaque.add(new Opaque(rel, "binary data", true));
        return;
      }
    }
    String content = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    List<String> lines = Arrays.asList(content.split("\r?\n|\r", -1));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines = lines.subList(0, lines.size() - 1);
    texts.add(new TextFile(f, rel, kind(ext, lines), List.copyOf(lines), size));
  }

  private static Kind kind(String ext, List<String> lines) {
    switch (ext) {
      case "md", "markdown", "mdx" -> { return Kind.MARKDOWN; }
      case "sh", "bash", "zsh", "ksh", "command" -> { return Kind.SHELL; }
      case "py" -> { return Kind.PYTHON; }
      case "js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx" -> { return Kind.JAVASCRIPT; }
      default -> { }
    }
    String first = lines.isEmpty() ? "" : lines.get(0);
    if (first.startsWith("#!")) {
      if (first.matches("#!.*\\b(ba|z|k|da)?sh\\b.*")) return Kind.SHELL;
      if (first.contains("python")) return Kind.PYTHON;
      if (first.contains("node") || first.contains("deno") || first.contains("bun")) return Kind.JAVASCRIPT;
    }
    return Kind.OTHER;
  }

  /** What an executable or archive starts with, or null. */
  private static String executableMagic(byte[] h) {
    if (starts(h, 0x7f, 'E', 'L', 'F')) return "ELF executable";
    if (starts(h, 'M', 'Z')) return "Windows executable";
    if (starts(h, 0xcf, 0xfa, 0xed, 0xfe) || starts(h, 0xce, 0xfa, 0xed, 0xfe) || starts(h, 0xca, 0xfe, 0xba, 0xbe)) return "Mach-O executable";
    if (starts(h, 'P', 'K', 3, 4)) return "zip archive";
    if (starts(h, 0x1f, 0x8b)) return "gzip archive";
    if (starts(h, 'B', 'Z', 'h')) return "bzip2 archive";
    if (starts(h, 0xfd, '7', 'z', 'X', 'Z')) return "xz archive";
    if (starts(h, 0x28, 0xb5, 0x2f, 0xfd)) return "zstd archive";
    if (starts(h, 0, 'a', 's', 'm')) return "WebAssembly module";
    if (h.length > 262 && new String(h, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) return "tar archive";
    return null;
  }

  private static boolean starts(byte[] h, int... bytes) {
    if (h.length < bytes.length) return false;
    for (int i = 0; i < bytes.length; i++) if ((h[i] & 0xff) != bytes[i]) return false;
    return true;
  }

  static String relative(Path root, Path p) {
    String rel = root.relativize(p).toString().replace('\\', '/');
    return rel.isEmpty() ? "." : rel;
  }
}
