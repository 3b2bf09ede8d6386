package io.openclaw.operator.review;

import io.openclaw.operator.audit.Finding;
import io.openclaw.operator.plan.Severity;

/**
 * The review's checks, each with a stable checkId and one severity. Critical: the folder would break the deployment's
 * security model once installed (a denied tool, code fetched and run, text that steers the model, credentials read or
 * sent, a path out of the folder). Warn: worth a reviewer's eye before install. Info: what the reviewer should know.
 */
public enum ReviewCheck {
  TOOL_DENIED("review.tool_denied", Severity.CRITICAL, "Uses a tool or program the deployment denies",
      "Drop that part of the skill, or review why the agent would need it; the denial stays (DESIGN: prompt injection -> dangerous tool -> container escape)."),
  PIPE_TO_SHELL("review.pipe_to_shell", Severity.CRITICAL, "Runs code it downloads or decodes at run time",
      "Ship the code in the skill folder (scripts/) where it can be reviewed, and pin any download with a sha256."),
  PROMPT_INJECTION("review.prompt_injection", Severity.CRITICAL, "Text aimed at the model: overrides, secrecy or bypasses",
      "Remove the instruction; a skill explains how to use tools, it never tells the model to ignore its rules or hide things from the user."),
  HIDDEN_CHARACTERS("review.hidden_characters", Severity.CRITICAL, "Invisible or direction-changing characters",
      "Remove them: zero-width, bidi-control and Unicode tag characters show a reader different text than the model reads."),
  HIDDEN_MARKUP("review.hidden_markup", Severity.CRITICAL, "Markup that hides text from a reader",
      "Remove the styling (display:none, white or zero-size text, the hidden attribute): the model reads what a reader cannot see."),
  SECRET_ACCESS("review.secret_access", Severity.CRITICAL, "Reads credentials, keys or OpenClaw's own state",
      "A skill never needs SSH keys, cloud or registry credentials, openclaw.json, OpenClaw's credentials or state, or mounted secrets; remove it."),
  SECRET_EXFILTRATION("review.secret_exfiltration", Severity.CRITICAL, "Sends credentials or the environment over the network",
      "Remove it: this is how a skill steals keys. Secrets belong in files the operator mounts, sent only to the service they are for."),
  LITERAL_SECRET("review.literal_secret", Severity.CRITICAL, "A credential written into the skill",
      "Revoke the credential and remove it from the skill; the skill would hand it to every agent and every reader."),
  SYMLINK_ESCAPE("review.symlink_escape", Severity.CRITICAL, "A symbolic link that leads out of the folder",
      "Replace the link with the file itself; OpenClaw refuses a SKILL.md outside its folder, but the model can read any other linked file."),
  UNDECLARED_DOMAIN("review.undeclared_domain", Severity.WARN, "Reaches a domain the EgressAllowlist does not allow",
      "The egress proxy refuses it, so the skill fails as written; allow the domain in the EgressAllowlist only if the stack must reach it (every domain is an exfiltration channel)."),
  SHELL_EXEC("review.shell_exec", Severity.WARN, "Builds and runs a command at run time",
      "Call programs with fixed argument lists (no eval, sh -c with variables, shell=True, os.system, exec()): input that reaches a shell becomes code."),
  HIDDEN_COMMENT("review.hidden_comment", Severity.WARN, "A comment the rendered page hides but the model reads",
      "Read it; move anything meant for the model into visible text or delete it."),
  ENCODED_PAYLOAD("review.encoded_payload", Severity.WARN, "A long encoded blob",
      "Ship readable text or files: an encoded blob cannot be reviewed (the detail shows what it decodes to)."),
  ENV_DUMP("review.env_dump", Severity.WARN, "Reads the whole environment",
      "Read only the variables the skill needs: the environment of an agent run carries injected API keys."),
  PATH_ESCAPE("review.path_escape", Severity.WARN, "A relative path that climbs out of the folder",
      "Keep every file the skill uses inside its folder ({baseDir}/...)."),
  HOST_PATH("review.host_path", Severity.WARN, "An absolute path to the host's files",
      "Sandboxes see no host files (workspaceAccess none); use files inside the skill folder or the sandbox workspace."),
  SECRET_REQUESTED("review.secret_requested", Severity.WARN, "Asks for a secret in its environment",
      "Supply it through skills.entries.<name>.apiKey as a SecretRef, never as a plain environment value; the deployment keeps secrets out of environment variables, and OpenClaw injects skill env into the host run only, not the sandbox."),
  DOWNLOAD_UNVERIFIED("review.download_unverified", Severity.WARN, "An installer downloads without a checksum",
      "Add sha256 to the download install spec; OpenClaw verifies it before installing."),
  INVALID_SKILL("review.invalid_skill", Severity.WARN, "OpenClaw would not load this skill",
      "Fix the SKILL.md frontmatter: a --- block with at least name and description."),
  BINARY_FILE("review.binary_file", Severity.WARN, "An executable or archive that cannot be reviewed",
      "Ship sources or an install spec with a sha256 instead of a prebuilt binary or archive."),
  POLICY("review.policy", Severity.INFO, "What the folder was judged against", ""),
  TARGET("review.target", Severity.INFO, "What was reviewed", ""),
  BINARY_REQUIRED("review.binary_required", Severity.INFO, "Programs it needs on PATH",
      "OpenClaw checks requires.bins on the gateway host; a sandboxed run also needs them in the sandbox image."),
  ENV_REQUESTED("review.env_requested", Severity.INFO, "Environment variables it needs", ""),
  CONFIG_REQUIRED("review.config_required", Severity.INFO, "openclaw.json settings it needs to be truthy", ""),
  INSTALL_SPEC("review.install_spec", Severity.INFO, "Installs a dependency on the gateway host",
      "Installs run outside the sandbox and need their registry in the EgressAllowlist; prefer a sandbox image that already has the program."),
  INVOCATION("review.invocation", Severity.INFO, "How it is invoked differs from the default", ""),
  OPAQUE_FILE("review.opaque_file", Severity.INFO, "A file not read as text (image, font, document)", "");

  public final String id;
  public final Severity severity;
  public final String title;
  public final String remediation;

  ReviewCheck(String id, Severity severity, String title, String remediation) {
    this.id = id;
    this.severity = severity;
    this.title = title;
    this.remediation = remediation;
  }

  Finding finding(String object, String detail) {
    return new Finding(id, severity, title, detail, remediation, object, Finding.OPERATOR);
  }
}
