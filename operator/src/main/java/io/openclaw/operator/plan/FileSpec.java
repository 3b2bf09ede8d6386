package io.openclaw.operator.plan;

import java.nio.charset.StandardCharsets;

/**
 * A file the operator writes into a container before it starts (archive upload). Content never appears in
 * toString, logs or status; {@code semantic} files (openclaw.json) are compared as JSON, since OpenClaw may
 * rewrite its own file.
 */
public record FileSpec(String path, byte[] content, int mode, int uid, int gid, boolean semantic, boolean directory, boolean readAtUse) {
  public static FileSpec file(String path, byte[] content, int uid, int gid) {
    return new FileSpec(path, content, 0600, uid, gid, false, false, false);
  }

  public static FileSpec json(String path, String content, int uid, int gid) {
    return new FileSpec(path, content.getBytes(StandardCharsets.UTF_8), 0600, uid, gid, true, false, false);
  }

  public static FileSpec dir(String path, int uid, int gid) {
    return new FileSpec(path, null, 0700, uid, gid, false, true, false);
  }

  /** An agent workspace file (SOUL.md ...): OpenClaw reads it at every turn, so writing it needs no restart. */
  public static FileSpec workspace(String path, byte[] content, int uid, int gid) {
    return new FileSpec(path, content, 0600, uid, gid, false, false, true);
  }

  public String sha256() { return content == null ? "" : Hashing.sha256(content); }

  /** What the spec hash covers: where and how, not what (a new value is delivered without recreating). */
  public String shape() { return path + ":" + Integer.toOctalString(mode) + ":" + uid + ":" + gid + (directory ? ":dir" : ""); }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileSpec f && f.shape().equals(shape()) && java.util.Arrays.equals(f.content, content) && f.semantic == semantic;
  }

  @Override
  public int hashCode() { return shape().hashCode(); }

  @Override
  public String toString() { return shape(); }
}
