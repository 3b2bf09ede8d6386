package io.openclaw.operator.cli;

/**
 * Exit codes, the same for every command (sysexits.h where one fits): 0 fine, 1 found something (validate problems,
 * a critical audit or review finding), 2 changes pending ({@code plan --detailed-exitcode} only), 64 usage error, 69
 * the Docker daemon or the cluster unreachable, 70 internal error.
 */
final class Exit {
  static final int OK = 0;
  static final int FOUND = 1;
  static final int CHANGES = 2;
  static final int USAGE = 64;
  static final int UNAVAILABLE = 69;
  static final int INTERNAL = 70;

  private Exit() {}

  /** The Docker daemon or the Kubernetes API cannot be reached: exit 69 with a one-line message of what to check. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) { super(message); }
  }
}
