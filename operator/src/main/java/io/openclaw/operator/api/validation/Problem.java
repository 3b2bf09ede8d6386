package io.openclaw.operator.api.validation;

import java.nio.file.Path;

/**
 * One thing wrong (or worth a warning) in a manifest, printed as {@code file:line: kind/name: field: message}.
 * {@code file} is null for resources that did not come from a file (a cluster).
 */
public record Problem(Path file, int line, String kind, String namespace, String name, String field, String message, Severity severity,
    Code code) {
  public enum Severity { ERROR, WARNING }

  /** What kind of problem: the spec itself is wrong, or it collides with another resource on the same host. */
  public enum Code { INVALID, CONFLICT }

  public static Problem error(Path file, int line, String kind, String namespace, String name, String field, String message) {
    return new Problem(file, line, kind, namespace, name, field, message, Severity.ERROR, Code.INVALID);
  }

  /** A problem of the file as a whole (not YAML, unreadable), before any resource in it is known. */
  public static Problem ofFile(Path file, int line, String message) {
    return new Problem(file, line, null, null, null, null, message, Severity.ERROR, Code.INVALID);
  }

  public boolean conflict() { return code == Code.CONFLICT; }

  /** The resource this problem belongs to, when it is known. */
  public java.util.Optional<io.openclaw.operator.api.ResourceKey> key() {
    if (kind == null || name == null || name.isEmpty()) return java.util.Optional.empty();
    return java.util.Optional.of(new io.openclaw.operator.api.ResourceKey(kind, namespace == null ? io.openclaw.operator.api.ResourceKey.DEFAULT_NAMESPACE : namespace, name));
  }

  public boolean isError() { return severity == Severity.ERROR; }

  /** The object part of the message: kind/name, or what is known of it. */
  public String object() {
    if (kind == null || kind.isEmpty()) return name == null ? "" : name;
    return kind + "/" + (name == null || name.isEmpty() ? "?" : name);
  }

  /** Without the file and line: what a status condition says. */
  public String describe() {
    String prefix = severity == Severity.WARNING ? "warning: " : "";
    return prefix + (field == null || field.isEmpty() ? "" : field + ": ") + message;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (file != null) out.append(file).append(':').append(line).append(": ");
    String object = object();
    if (!object.isEmpty()) out.append(object).append(": ");
    return out.append(describe()).toString();
  }
}
